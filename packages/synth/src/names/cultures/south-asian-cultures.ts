import { defineCulture } from "../naming-culture.ts";

/** North Indian (Hindi belt) naming. */
export const HINDI_NORTH = defineCulture({
  id: "hindi_north",
  male:
    "Rahul, Amit, Rajesh, Suresh, Ramesh, Sanjay, Vijay, Anil, Sunil, Deepak/Dipak, Manoj, Ravi, Ajay, Arun, " +
    "Vikas, Rohit, Ankit, Prakash, Ashok, Mukesh, Pankaj, Rakesh, Dinesh, Nitin, Abhishek, Aditya, Arjun, Siddharth",
  female:
    "Priya, Pooja/Puja, Neha, Anjali, Sunita, Anita, Kavita, Rekha, Meena, Asha, Sita, Geeta/Gita, " +
    "Lakshmi/Laxmi, Divya, Shweta, Nisha, Preeti/Priti, Ritu, Swati, Sonia, Aarti/Arti, Deepika, Kiran, Shreya",
  family:
    "Sharma, Kumar, Singh, Verma, Gupta, Yadav, Mishra, Pandey, Tiwari/Tewari, Srivastava/Shrivastava, Jain, " +
    "Agarwal/Aggarwal/Agrawal, Chauhan, Joshi, Mehta, Saxena, Chaudhary/Choudhary/Chowdhury, Thakur, " +
    "Rathore/Rathod, Dubey/Dube, Tripathi, Shukla, Bansal, Malhotra, Kapoor/Kapur, Khanna, Arora, Bhatia, Sethi",
  middleShare: 0.2,
  common: { M: ["Rahul", "Sharma"], F: ["Priya", "Sharma"] },
});

/** Punjabi Sikh naming: unisex given names; most men are Singh and most women Kaur. */
export const PUNJABI_SIKH = defineCulture({
  id: "punjabi_sikh",
  male:
    "Gurpreet, Harpreet, Manpreet, Jaspreet, Amandeep, Navdeep, Hardeep, Gurjit, Harjit, Kulwinder/Kulvinder, " +
    "Sukhwinder/Sukhvinder, Jasvir/Jasbir, Baljit, Paramjit, Ranjit, Jagdeep, Gurdeep, Lovepreet, Arshdeep, Karanveer",
  female:
    "Gurpreet, Harpreet, Manpreet, Jaspreet, Amandeep, Navdeep, Simran, Rajwinder, Harleen, Navneet, Jasleen, " +
    "Kamaljit, Sukhjit, Mandeep, Ramandeep, Kirandeep",
  family:
    "Sandhu, Sidhu, Gill, Dhillon, Grewal, Brar, Sekhon, Randhawa, Bains, Mann, Virk, Cheema, Bajwa, Dhaliwal, Sohal",
  lists: { singh: "Singh", kaur: "Kaur" },
  givenSkew: 2.6,
  compose: (draw) => ({
    given: draw.given(),
    family: draw.random.chance(0.7) ? draw.list(draw.sex === "M" ? "singh" : "kaur") : draw.family(),
  }),
  common: { M: ["Gurpreet", "Singh"], F: ["Harpreet", "Kaur"] },
});

/** Gujarati naming: about half of Gujarati people in US records are Patel. */
export const GUJARATI = defineCulture({
  id: "gujarati",
  male:
    "Rajesh, Mahesh, Jignesh, Hitesh, Nilesh, Paresh, Ketan, Bhavesh, Dipak, Hardik, Chirag, Kalpesh, Mehul, " +
    "Nirav, Pratik, Vipul, Sanjay, Jayesh, Kiran, Harshad",
  female:
    "Hetal, Nisha, Bhavna/Bhavana, Falguni, Jigna, Komal, Krupa, Payal, Rupal, Shilpa, Sejal, Urvashi, Dharti, " +
    "Mittal, Nehal, Daxa/Daksha",
  family:
    "Patel, Shah, Desai, Mehta, Modi, Joshi, Parikh, Trivedi, Bhatt, Pandya, Vyas, Chauhan, Solanki, Parmar, " +
    "Prajapati, Thakkar, Panchal, Chaudhari",
  familySkew: 4,
  middleShare: 0.35,
  common: { M: ["Rajesh", "Patel"], F: ["Hetal", "Patel"] },
});

/** South Indian naming: patronymic surnames, initials, and some people with a single name. */
export const SOUTH_INDIAN = defineCulture({
  id: "south_indian",
  male:
    "Venkatesh, Srinivas/Srinivasa/Sreenivas, Ramesh, Suresh, Rajesh, Prasad, Krishna, Ravi, Satish, Naveen, " +
    "Praveen, Karthik/Karthick, Arun, Vijay, Senthil, Murali, Ganesh, Balaji, Mohan, Sai",
  female:
    "Lakshmi/Laxmi, Padma, Sridevi/Sree_Devi, Kavitha/Kavita, Anitha/Anita, Sujatha, Radha, Revathi, Deepa, " +
    "Divya, Priya, Sandhya, Swathi/Swati, Bhavani, Vani, Meenakshi",
  family:
    "Reddy, Rao, Naidu, Nair, Pillai, Menon, Iyer, Iyengar, Krishnan, Subramanian/Subramaniam, Raman, Kumar, " +
    "Rajan, Murthy/Murthi, Shetty, Gowda, Hegde, Chowdary, Varma, Sastry/Shastri, Babu",
  compose: (draw) => {
    if (draw.random.chance(0.05)) return { given: [{ text: "FNU", variants: null }], family: draw.given() };
    return { given: draw.given(), family: draw.random.chance(0.3) ? draw.male() : draw.family() };
  },
  common: { M: ["Srinivas", "Reddy"], F: ["Lakshmi", "Rao"] },
});

/** Pakistani and Indian Muslim naming: Muhammad is often the first of two given names. */
export const SOUTH_ASIAN_MUSLIM = defineCulture({
  id: "south_asian_muslim",
  male:
    "Muhammad/Mohammad/Mohammed/Muhammed, Ali, Ahmed/Ahmad, Hassan/Hasan, Hussain/Hussein/Husain, Usman/Osman, " +
    "Bilal, Imran, Kamran, Faisal, Asif, Tariq/Tarik, Zubair, Adnan, Irfan, Shahid, Waqas, Umar/Omar, Hamza, " +
    "Abdul_Rehman/Abdur_Rahman/Abdulrehman, Naveed/Navid, Saad, Arslan, Junaid",
  female:
    "Fatima/Fatimah, Ayesha/Aisha/Aysha, Maryam/Mariam, Zainab/Zaynab, Sana, Hina, Amna/Aamna, Saima, Nadia, " +
    "Rabia, Sadia, Asma, Farah, Iqra, Mehwish, Shazia, Bushra, Uzma",
  family:
    "Khan, Ahmed/Ahmad, Ali, Hussain/Hussein/Husain, Malik, Iqbal, Butt, Shah, Sheikh/Shaikh, Qureshi/Kureshi, " +
    "Chaudhry/Chaudhary/Chaudry/Choudhry, Raza, Mirza, Siddiqui/Siddiqi, Akhtar, Rehman/Rahman, Javed/Javaid, " +
    "Aslam, Anwar, Rana, Bhatti, Baig/Beg, Abbasi, Hashmi, Mahmood/Mehmood/Mahmud, Nawaz, Saleem/Salim, Bukhari",
  lists: { muhammad: "Muhammad/Mohammad/Mohammed/Muhammed" },
  compose: (draw) => {
    const given =
      draw.sex === "M" && draw.random.chance(0.4)
        ? [...draw.list("muhammad"), ...draw.given()]
        : draw.given();
    return {
      given: given.filter((token, index) => index === 0 || token.text !== given[0]!.text),
      family: draw.family(),
    };
  },
  common: { M: ["Muhammad", "Khan"], F: ["Fatima", "Khan"] },
});

/** Bangladeshi naming: "Md" (Mohammad) before the given name, and Islam, Hossain, Rahman as surnames. */
export const BENGALI = defineCulture({
  id: "bengali",
  male:
    "Abdul, Rahim, Karim, Jahid/Zahid, Shafiqul, Aminul, Rafiqul, Shahidul, Mizanur, Mahbub/Mahbubur, Habibur, " +
    "Anisur, Saiful, Kamrul, Tanvir, Rakib, Sajid, Arif, Masud, Jahangir",
  female:
    "Fatema/Fatima, Nasrin/Nasreen, Shirin, Ruma, Rina, Shathi, Sultana, Taslima, Nusrat, Farzana, Sharmin, " +
    "Rokeya, Salma, Rupa, Jannatul",
  family:
    "Islam, Rahman/Rehman, Hossain/Hussain/Hossen, Ahmed, Uddin/Udin, Alam, Miah/Mia/Mian, " +
    "Chowdhury/Choudhury/Chaudhury, Sarker/Sarkar, Das, Roy, Saha, Sheikh/Shaikh, Khan, Molla/Mollah, " +
    "Talukder/Talukdar",
  lists: { md: "Md/Md./Mohammad/Muhammad", female: "Akter/Akhter/Akhtar, Begum, Khatun, Sultana" },
  compose: (draw) => {
    if (draw.sex === "M") {
      const given = draw.random.chance(0.45) ? [...draw.list("md"), ...draw.given()] : draw.given();
      return { given, family: draw.family() };
    }
    return { given: draw.given(), family: draw.random.chance(0.5) ? draw.list("female") : draw.family() };
  },
  common: { M: ["Md Shafiqul", "Islam"], F: ["Fatema", "Akter"] },
});

/** Nepali naming: caste and ethnic surnames, some written as initials (KC). */
export const NEPALI = defineCulture({
  id: "nepali",
  male:
    "Ram, Krishna, Hari, Bikash/Vikash, Suman, Sanjay, Rajesh, Prakash, Dipak/Deepak, Santosh, Bishnu/Vishnu, " +
    "Gopal, Sunil, Anil, Rabin/Robin, Bibek/Vivek, Sagar, Roshan, Nabin/Navin, Binod/Vinod",
  female:
    "Sita, Gita, Sarita, Sunita, Anita, Laxmi/Lakshmi, Maya, Kamala, Rita, Sabina, Srijana/Shrijana, Puja/Pooja, " +
    "Asmita, Samjhana, Manisha",
  family:
    "Shrestha, Tamang, Gurung, Magar, Rai, Thapa, Sharma, Adhikari, Karki, Bhattarai, Khadka, " +
    "Poudel/Paudel/Paudyal, Koirala, Basnet, Lama, Sherpa, Limbu, Bhandari, Ghimire, Dahal, Maharjan, KC/K.C., " +
    "Bista, Pandey, Rana, Oli, Acharya, Pokharel/Pokhrel",
  common: { M: ["Ram", "Shrestha"], F: ["Sita", "Tamang"] },
});
