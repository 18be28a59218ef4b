import { defineCulture } from "../naming-culture.ts";

/** Yoruba naming (south-west Nigeria): long names that sources also write in short forms. */
export const YORUBA = defineCulture({
  id: "yoruba",
  male:
    "Oluwaseun/Seun, Olumide, Adebayo, Babatunde/Tunde, Oluwafemi/Femi, Ayodele, Adewale, Olusegun/Segun, " +
    "Kehinde, Taiwo, Gbenga, Ibukun, Damilola, Temitope/Tope, Oladipo, Akinwale, Adeyemi, Tobiloba/Tobi, " +
    "Ayomide, Opeyemi",
  female:
    "Folake, Funmilayo/Funmi, Titilayo/Titi, Yetunde, Bukola, Omolara/Lara, Adunni, Abosede, Temitope, " +
    "Oluwakemi/Kemi, Adebisi, Ayobami, Morenike, Modupe, Olabisi",
  family:
    "Adeyemi, Adebayo, Ogunleye, Ogunbiyi, Olawale, Oyelaran, Akinola, Oladipo, Ogundipe, Adeleke, Afolabi, " +
    "Oyewole, Balogun, Bakare, Lawal, Oyedepo, Ajayi, Alabi, Babalola, Adewale, Fashola, Ogunbanjo, Akande, " +
    "Olatunji, Adeniyi",
  middleShare: 0.4,
  common: { M: ["Oluwaseun", "Adeyemi"], F: ["Folake", "Adebayo"] },
});

/** Igbo naming (south-east Nigeria). */
export const IGBO = defineCulture({
  id: "igbo",
  male:
    "Chukwuemeka/Emeka, Chinedu, Obinna, Ikechukwu/Ike, Nnamdi, Chidi, Uchenna, Okechukwu, Chibuike, Kelechi, " +
    "Chukwudi, Ifeanyi, Onyekachi, Tochukwu, Chukwuebuka/Ebuka, Ugochukwu, Chijioke, Nnaemeka, Chigozie",
  female:
    "Ngozi, Chioma, Adaeze/Ada, Nneka, Amarachi, Chinwe, Ifeoma, Obiageli, Uchechi, Chiamaka, Ogechi, Nkechi, " +
    "Chidinma, Ebere, Ijeoma, Oluchi, Chinonso, Ugochi, Ezinne",
  family:
    "Okafor, Okonkwo, Okeke, Nwosu, Eze, Obi, Nwachukwu, Okoro, Chukwu, Onyeka, Nnadi, Ugwu, Okoye, Ibe, " +
    "Nwankwo, Anyanwu, Ezeh, Agu, Onwuka, Obiora, Okpara, Nwafor, Udeh, Nwoke, Igwe",
  middleShare: 0.4,
  common: { M: ["Chukwuemeka", "Okafor"], F: ["Ngozi", "Okonkwo"] },
});

/** Hausa naming (northern Nigeria, Niger): Muslim names, a father's name often serving as surname. */
export const HAUSA = defineCulture({
  id: "hausa",
  male:
    "Muhammad/Mohammed/Muhammed, Abubakar/Abubakr/Abu_Bakr, Ibrahim, Usman/Usmanu/Othman, Aliyu, Sani, Musa, " +
    "Yusuf, Abdullahi, Umar, Bello, Suleiman/Sulaiman, Isa, Haruna, Lawal, Shehu, Aminu, Bashir, Nasiru/Nasir, Yakubu",
  female:
    "Aisha/Aishatu, Fatima/Fatimah/Fatimatu, Hauwa, Zainab, Hadiza, Amina/Aminatu, Maryam/Mariam, Halima, Rabi, " +
    "Safiya, Bilkisu, Jamila, Asmau, Salamatu",
  family:
    "Bello, Abubakar, Mohammed, Ibrahim, Musa, Usman, Aliyu, Sani, Yusuf, Abdullahi, Garba, Lawal, Umar, Suleiman, " +
    "Haruna, Danjuma, Shehu, Dauda, Idris, Bala, Adamu, Tukur, Dikko, Yahaya, Kabir",
  compose: (draw) => ({ given: draw.given(), family: draw.random.chance(0.5) ? draw.male() : draw.family() }),
  common: { M: ["Muhammad", "Bello"], F: ["Aisha", "Ibrahim"] },
});

/** Akan naming (Ghana): a day name (Kwame, Ama) alongside a Christian given name. */
export const AKAN = defineCulture({
  id: "akan",
  male:
    "Emmanuel, Samuel, Daniel, Eric, Isaac, Michael, Joseph, Francis, Richard, Prince, Ebenezer, Felix, " +
    "Kwame/Kwamena, Kofi, Kwaku/Kweku, Kwabena/Kobina/Ekow, Yaw, Kwasi/Kwesi/Akwasi, Kojo/Kwadwo/Kodwo",
  female:
    "Grace, Mercy, Comfort, Patience, Gifty, Vida, Abigail, Priscilla, Joyce, Esther, Elizabeth, Beatrice, " +
    "Ama, Akosua, Adwoa/Adjoa, Abena/Abenaa, Akua, Yaa, Efua/Afua/Afia, Esi",
  family:
    "Mensah, Asante/Asanti, Owusu, Boateng, Osei, Agyeman/Agyemang, Appiah, Ofori, Amoah, Acheampong, Adjei, " +
    "Opoku, Darko, Antwi, Nkrumah, Frimpong, Addo, Ansah, Bonsu, Sarpong, Quaye, Tetteh, Quarshie, Lartey, Amponsah",
  middleShare: 0.55,
  common: { M: ["Emmanuel", "Mensah"], F: ["Grace", "Mensah"] },
});

/** Senegambian and Fula naming (Senegal, Guinea, Mali, Gambia): French and English spellings of one name. */
export const SENEGAMBIAN = defineCulture({
  id: "senegambian",
  male:
    "Mamadou/Mamadu, Moussa/Musa/Mousa, Ousmane/Usman/Ousman, Ibrahima/Ibrahim, Abdoulaye/Abdulai/Abdoulay, " +
    "Amadou/Ahmadou/Amadu, Cheikh/Sheikh/Cheick, Modou/Modu, Lamine/Lamin, Souleymane/Suleiman/Souleiman, " +
    "Alioune/Aliou/Aliu, Boubacar/Bubacarr/Aboubacar, Alassane/Alhassane, Oumar/Omar/Umar, Babacar, Seydou, " +
    "Issa, Mohamed/Mohammed, Sékou/Sekou, Mamadi",
  female:
    "Fatou/Fatu, Aminata/Aminatou, Mariama/Mariame, Awa, Aïssatou/Aissatou/Aishatou, Fatoumata/Fatimata/Fatumata, " +
    "Khady/Khadija, Kadiatou/Kadiatu, Ndèye/Ndeye, Binta, Rokhaya/Rokia, Coumba/Kumba, Hawa, Oumou/Umu, Sokhna",
  family:
    "Diallo/Jallow/Djalo, Ndiaye/N'Diaye/Njie, Diop, Fall, Sow, Ba/Bah, Barry/Bari, Camara/Kamara, Sylla/Silla, " +
    "Touré/Toure/Ture, Traoré/Traore, Keita/Keïta, Cissé/Cisse/Sise, Diarra, Coulibaly/Kulibali, " +
    "Sangaré/Sangare, Konaté/Konate, Sall, Gueye/Guèye, Seck, Faye, Mbaye/M'Baye, Niang, Sarr, Thiam, Kane, Sy, " +
    "Dieng, Ceesay, Bangoura, Condé/Conde, Soumah/Souma, Doumbouya",
  givenSkew: 2.6,
  familySkew: 2.6,
  middleShare: 0.15,
  common: { M: ["Mamadou", "Diallo"], F: ["Fatou", "Diallo"] },
});

/** Central African francophone naming (Cameroon, the Congos). */
export const CENTRAL_AFRICAN = defineCulture({
  id: "central_african",
  male:
    "Jean, Paul, Emmanuel, Serge, Patrick, Joseph, Jean-Paul/Jean_Paul, Hervé/Herve, Christian, Eric, Blaise, " +
    "Landry, Cédric/Cedric, Franck, Yannick, Arnaud, Junior, Prosper",
  female:
    "Marie, Christelle, Sandrine, Brigitte, Josiane, Nadège/Nadege, Carine, Estelle, Vanessa, Laure, " +
    "Aurélie/Aurelie, Clarisse, Gisèle/Gisele",
  family:
    "Nguema, Mbarga, Atangana, Essomba, Fouda, Ngono, Owona, Tchoumi, Nkwenti, Tabi, Ngwa, Ashu, Tanyi, Achu, " +
    "Mbah, Mbuyi, Kabongo, Ilunga, Tshibangu, Mukendi, Kalala, Mputu, Lukusa, Mwamba, Kasongo, Ngoy, Nzuzi",
  middleShare: 0.3,
  common: { M: ["Jean", "Mbarga"], F: ["Marie", "Ilunga"] },
});

/**
 * Somali naming: an own name, the father's name and the grandfather's name, with no family
 * name. Sources disagree on which of them is "the" family name; Somali orthography adds
 * spellings (Maxamed for Mohamed).
 */
export const SOMALI = defineCulture({
  id: "somali",
  male:
    "Mohamed/Mohammed/Maxamed, Abdi/Cabdi, Ahmed/Axmed, Abdullahi/Cabdullaahi, Hassan/Xasan, Ali/Cali, " +
    "Omar/Cumar, Yusuf/Yuusuf, Ibrahim, Abdirahman/Cabdiraxmaan/Abdurahman, Abdirizak/Abdirisaq, " +
    "Abdikarim/Cabdikariim, Hussein/Xuseen, Farah/Faarax, Osman/Cusmaan, Ismail, Aden/Aadan/Adan, Nur/Nuur/Noor, " +
    "Jama/Jaamac, Warsame, Mohamud/Maxamuud",
  female:
    "Fadumo/Faadumo/Fatuma, Amina/Aamina, Hodan, Halima/Xaliimo, Sahra/Saxra/Zahra, Ayan/Ayaan, Hawa/Xaawo, " +
    "Asha/Caasha, Khadra/Khadro, Maryan/Maryam, Nasra, Sagal, Ifrah/Ifrax, Deeqa/Deka, Hamdi, Ubah/Ubax, " +
    "Leyla/Layla, Sucdi, Ruqia/Ruqiya, Faiza",
  family: "Mohamed, Ahmed, Hassan, Ali, Abdi, Omar, Yusuf, Farah, Warsame, Jama, Hussein, Osman, Aden, Nur",
  compose: (draw) => {
    const own = draw.given();
    const father = draw.male();
    const grandfather = draw.male();
    const form = draw.random.next();
    if (form < 0.3) return { given: own, family: grandfather };
    if (form < 0.7) return { given: [...own, ...father], family: grandfather };
    return { given: own, family: [...father, ...grandfather] };
  },
  common: { M: ["Mohamed", "Abdi", "Hassan"], F: ["Fadumo", "Mohamed", "Ali"] },
});

/** Ethiopian and Eritrean naming: an own name and the father's name; no inherited family name. */
export const HORN_OF_AFRICA = defineCulture({
  id: "horn_of_africa",
  male:
    "Abebe, Tesfaye, Getachew, Alemayehu, Mulugeta, Dawit, Yonas/Yohannes, Solomon/Solomun, Bereket, Haile/Hailu, " +
    "Girma, Tadesse, Tekle/Teklay, Kidane, Samuel, Daniel, Berhane/Berhanu, Mesfin, Yared, Mekonnen/Mekonen, " +
    "Gebre/Gebru, Habtom, Fitsum, Biniam/Biniyam, Amanuel/Emmanuel, Gebremedhin/Gebre_Medhin/Gebre-Medhin, " +
    "Gebreyesus/Gebre_Yesus, Woldemariam/Wolde_Mariam/Weldemariam, Tesfamariam/Tesfa_Mariam, " +
    "Ghebremichael/Gebremichael/Gebre_Michael",
  female:
    "Tigist, Meseret, Hirut, Almaz, Selam, Bethlehem, Hanna, Mahlet, Saba, Feven, Helen, Ruth, Eden, " +
    "Senait/Senayt, Yordanos, Tsion/Zion, Meron, Rahel, Lidya/Lydia, Abeba",
  family: "Tesfaye, Haile, Bekele, Tadesse, Girma, Kidane, Tekle, Gebre, Mekonnen, Berhane",
  compose: (draw) => ({ given: draw.given(), family: draw.male() }),
  common: { M: ["Abebe", "Tesfaye"], F: ["Tigist", "Haile"] },
});
