import { defineCulture } from "../naming-culture.ts";

/**
 * Arabic naming: an own name, often the father's name as a middle name, and a family name
 * (with al-/El- particles) or the grandfather's name; many transliterations of the same name.
 */
export const ARABIC = defineCulture({
  id: "arabic",
  male:
    "Mohammed/Muhammad/Mohamed/Mohammad/Mohamad/Muhammed, Ahmed/Ahmad, Ali, Mahmoud/Mahmud/Mahmood, " +
    "Mustafa/Mostafa/Moustafa, Hassan/Hasan, Hussein/Hussain/Husain/Husein, Omar/Umar, Khaled/Khalid, " +
    "Ibrahim/Ebrahim, Abdullah/Abdallah/Abdulla, Youssef/Yousef/Yusuf/Yousif, Said/Saeed/Saied/Sayed, " +
    "Karim/Kareem, Tarek/Tariq/Tarik, Walid/Waleed, Sami/Samy, Nasser/Naser/Nasir, " +
    "Abdulrahman/Abdul_Rahman/Abdel_Rahman/Abdelrahman, Abdelaziz/Abdul_Aziz/Abdulaziz, Hamza/Hamzah, Bilal, " +
    "Jamal/Gamal, Adel/Adil, Fadi, Rami/Ramy, Majed/Majid, Faisal/Faysal, Anas, Osama/Usama, Ayman/Aiman, " +
    "Amr/Amro, Mazen, Ziad/Ziyad",
  female:
    "Fatima/Fatma/Fatimah, Aisha/Aicha/Ayesha/Aysha, Mariam/Maryam/Miriam, Noor/Nour/Nur, Sara/Sarah, " +
    "Layla/Leila/Laila, Huda/Hoda, Amina/Aminah, Rania/Raniya, Hana/Hanaa, Yasmin/Yasmine/Jasmine, " +
    "Zainab/Zaynab/Zeinab, Khadija/Khadijah/Khadiga, Salma, Reem/Rim, Dina, Nadia, Samira/Sameera, Rasha, " +
    "Mona/Muna, Heba/Hiba, Asmaa/Asma, Dalia, Ghada, Lina",
  family:
    "al-Masri/El-Masri/Elmasry, al-Ahmad, al-Hassan, al-Ali, al-Khatib/al-Khateeb, al-Hussein, Haddad, " +
    "Khoury/Khouri/Khuri, Nasser, Hamdan, Saleh/Salih, Mansour/Mansur, Ibrahim, Abdullah, Youssef, Mahmoud, " +
    "Hassan, Ali, Othman/Osman/Uthman, al-Shami, al-Najjar, Darwish/Darwich, Aziz, Hamad, Farah, " +
    "Ismail/Ismael, Suleiman/Sulaiman/Soliman, al-Qahtani/al-Kahtani, al-Otaibi, al-Zahrani, al-Ghamdi, " +
    "al-Harbi, Abdel-Fattah/Abdelfattah, el-Sayed/Elsayed, Abdelaziz, Mostafa, Fathy/Fathi, Gaber/Jaber, " +
    "Khalil, Qasim/Kassem/Qassem, al-Tamimi, al-Jubouri/al-Juburi, al-Obaidi/al-Ubaidi",
  givenSkew: 2.6,
  compose: (draw) => {
    const given = draw.given();
    if (draw.random.chance(0.45)) given.push(...draw.male());
    const family = draw.random.chance(0.75) ? draw.family() : draw.male();
    return { given, family };
  },
  common: { M: ["Mohammed", "Ali"], F: ["Fatima", "Hassan"] },
});

/** Persian naming (Iran): compound given names (Mohammad Reza) and -i / -zadeh / -nejad surnames. */
export const PERSIAN = defineCulture({
  id: "persian",
  male:
    "Mohammad/Mohamad/Muhammad, Ali, Hossein/Hosein/Hussein, Reza, Mehdi/Mahdi, Amir, Hamid, Hassan/Hasan, " +
    "Mohsen, Saeed/Said, Majid, Ahmad, Javad, Morteza, Mostafa, Abbas, Mahmoud, Davood/Davoud/Dawood, " +
    "Behrouz/Behrooz, Farhad, Kourosh/Koroush, Dariush/Daryoush/Daryush, Babak, Arash, Omid, Shahram, " +
    "Mohammadreza/Mohammad_Reza, Alireza/Ali_Reza/Ali-Reza",
  female:
    "Fatemeh/Fatima/Fatemah, Zahra, Maryam/Mariam, Narges, Sara, Leila/Layla, Parisa, Shirin, Roya, Nasrin, " +
    "Mina, Elham, Azadeh, Niloufar/Nilufar/Niloofar, Setareh, Mahsa, Neda, Samira, Farzaneh, Soheila/Soheyla",
  family:
    "Hosseini/Hoseini/Husseini, Mohammadi/Mohamadi, Ahmadi, Rezaei/Rezaee/Rezaie/Rezayi, Karimi, Moradi, " +
    "Jafari/Jaafari, Hashemi, Ghasemi/Qasemi/Ghassemi, Sadeghi/Sadeqi, Rahimi, Mousavi/Musavi/Moosavi, Kazemi, " +
    "Hosseinzadeh/Hoseinzadeh, Ebrahimi/Ibrahimi, Rostami, Heidari/Haidari/Heydari, Asadi, Amini, " +
    "Bagheri/Baqeri, Tehrani, Shirazi, Esfahani/Isfahani, Akbari, Nouri/Noori, Rahmani, Farahani, Ansari, " +
    "Azizi, Ghorbani/Qorbani, Salehi, Soltani, Ahmadinejad/Ahmadinezhad/Ahmadi-Nejad",
  middleShare: 0.15,
  common: { M: ["Mohammad", "Hosseini"], F: ["Fatemeh", "Mohammadi"] },
});

/**
 * Afghan naming: many people have one name only, which US systems record as the family name
 * with "FNU" (first name unknown) as the given name.
 */
export const AFGHAN = defineCulture({
  id: "afghan",
  male:
    "Mohammad/Muhammad/Mohammed, Ahmad, Abdul_Wahid/Abdulwahid, Abdul_Rahim/Abdulrahim, Gul, Mir, Noor/Nur, " +
    "Sayed/Said/Sayyid, Habibullah/Habibollah, Zabihullah/Zabiullah, Hamid, Karim, Rahim, Wali, Jawad, Farid, " +
    "Naqibullah, Samiullah/Sami_Ullah, Rahmatullah/Rahmat_Ullah, Ezatullah/Izatullah, Shafiq, Bashir, " +
    "Najibullah/Najib, Ajmal, Hamidullah",
  female:
    "Fatima/Fatema, Zahra, Maryam, Sakina, Gulbibi/Gul_Bibi, Nazia, Parwana, Farzana, Shabnam, " +
    "Zarghona/Zarghuna, Lailuma, Marzia, Nargis, Sima, Hamida",
  family:
    "Ahmadzai, Popal, Durrani, Barakzai, Mohammadi, Hashimi, Rahimi, Sultani, Karimi, Stanikzai, Safi, " +
    "Noori/Nuri, Hakimi, Amiri, Wardak, Hotak, Yousafzai/Yousufzai, Sadat, Noorzai/Nurzai, Niazi, Rezai, " +
    "Hussaini/Hosseini, Haidari, Sahak, Mangal, Zadran, Khan",
  compose: (draw) => {
    if (draw.random.chance(0.35)) return { given: [{ text: "FNU", variants: null }], family: draw.given() };
    return { given: draw.given(), family: draw.family() };
  },
  common: { M: ["Mohammad", "Ahmadzai"], F: ["Fatima", "Mohammadi"] },
});

/** Turkish naming: dotless ı, ş, ç, ğ, ö, ü that other systems write without marks. */
export const TURKISH = defineCulture({
  id: "turkish",
  male:
    "Mehmet/Mehmed, Mustafa, Ahmet, Ali, Hüseyin/Huseyin, Hasan, İbrahim/Ibrahim, İsmail/Ismail, Osman, Yusuf, " +
    "Murat, Ömer/Omer, Ramazan, Halil, Süleyman/Suleyman, Abdullah, Mahmut, Emre, Burak, Can, Eren",
  female:
    "Fatma, Ayşe/Ayse, Emine, Hatice, Zeynep, Elif, Meryem, Şerife/Serife, Zehra, Sultan, Hanife, Merve, " +
    "Büşra/Busra, Esra, Özlem/Ozlem",
  family:
    "Yılmaz/Yilmaz, Kaya, Demir, Şahin/Sahin, Çelik/Celik, Yıldız/Yildiz, Yıldırım/Yildirim, Öztürk/Ozturk, " +
    "Aydın/Aydin, Özdemir/Ozdemir, Arslan, Doğan/Dogan, Kılıç/Kilic, Aslan, Çetin/Cetin, Kara, Koç/Koc, Kurt, " +
    "Özkan/Ozkan, Şimşek/Simsek",
  middleShare: 0.15,
  common: { M: ["Mehmet", "Yılmaz"], F: ["Fatma", "Yılmaz"] },
});
