import { type CultureDraw, defineCulture } from "../naming-culture.ts";
import { mapToken, type NameToken, type PersonName } from "../person-name.ts";

const EAST_SLAVIC_FEMININE: readonly [RegExp, string][] = [
  [/(ov|ev|yov|in|yn)$/, "$1a"],
  [/(sk|tsk|zk)(y|iy|ii|yi)$/, "$1aya"],
  [/(sk|tsk|zk)i$/, "$1a"],
];

function feminineSurname(text: string): string {
  for (const [ending, feminine] of EAST_SLAVIC_FEMININE)
    if (ending.test(text)) return text.replace(ending, feminine);
  return text;
}

/**
 * A patronymic from the father's name (Ivan -> Ivanovich / Ivanovna; Ukrainian Ivan -> Ivanovych /
 * Ivanivna). Russian: Sergei -> Sergeyevich, Yuriy -> Yuriyevich, Alexander -> Alexandrovich, Ilya
 * -> Ilyich. Ukrainian: Serhiy -> Serhiyovych / Serhiyivna, Serhii -> Serhiiovych / Serhiivna, Mykola -> Mykolayovych / Mykolaivna,
 * Petro -> Petrovych / Petrivna.
 */
function patronymic(father: string, sex: "M" | "F", ukrainian: boolean): string {
  if (father === "Pavel") return sex === "M" ? "Pavlovich" : "Pavlovna";
  // The fleeting e of -er names: Alexander, Oleksander -> Alexandr-, Oleksandr-.
  const stem = /[dt]er$/.test(father) ? `${father.slice(0, -2)}r` : father;
  if (ukrainian) {
    if (/[aeo][iy]$/.test(stem)) return stem.slice(0, -1) + (sex === "M" ? "yovych" : "yivna");
    if (/ii$/.test(stem)) return stem + (sex === "M" ? "ovych" : "vna");
    if (/[iy]$/.test(stem)) return stem + (sex === "M" ? "ovych" : "ivna");
    if (/a$/.test(stem)) return stem.slice(0, -1) + (sex === "M" ? "ayovych" : "aivna");
    if (/o$/.test(stem)) return stem.slice(0, -1) + (sex === "M" ? "ovych" : "ivna");
    return stem + (sex === "M" ? "ovych" : "ivna");
  }
  if (/[aeo]j$/.test(stem)) return stem + (sex === "M" ? "evich" : "evna");
  if (/[aeo]i$|[aeo]y$/.test(stem)) return stem.slice(0, -1) + (sex === "M" ? "yevich" : "yevna");
  if (/(iy|ii|y|i)$/.test(stem)) return stem.replace(/(iy|ii|y|i)$/, sex === "M" ? "iyevich" : "iyevna");
  if (/ya$|ia$/.test(stem)) return stem.slice(0, -2) + (sex === "M" ? "yich" : "yinichna");
  if (/a$/.test(stem)) return stem.slice(0, -1) + (sex === "M" ? "ich" : "ichna");
  return stem + (sex === "M" ? "ovich" : "ovna");
}

/** Feminine surnames and patronymics of both sexes that the composition can derive. */
function derivedForms(male: readonly string[], family: readonly string[], ukrainian: boolean): string[] {
  return [
    ...family.map(feminineSurname),
    ...male.flatMap((father) => [patronymic(father, "M", ukrainian), patronymic(father, "F", ukrainian)]),
  ];
}

function eastSlavicName(draw: CultureDraw, patronymicShare: number, ukrainian: boolean): PersonName {
  const given: NameToken[] = draw.given();
  if (draw.random.chance(patronymicShare)) {
    given.push({ text: patronymic(draw.male()[0]!.text, draw.sex, ukrainian), variants: null });
  }
  const family = draw.family();
  return {
    given,
    family: draw.sex === "F" ? family.map((token) => mapToken(token, feminineSurname)) : family,
  };
}

/** Russian (and Belarusian) naming: given name, often the patronymic, gendered surname; many transliterations. */
export const RUSSIAN = defineCulture({
  id: "russian",
  male:
    "Aleksandr/Alexander/Aleksander/Alexandr, Sergei/Sergey/Serguei/Sergej, Dmitri/Dmitry/Dmitriy/Dmitrii, " +
    "Andrei/Andrey/Andrej, Alexei/Aleksey/Alexey/Aleksei, Ivan, Mikhail/Mikhael/Michail, Nikolai/Nikolay, " +
    "Vladimir/Wladimir, Yevgeny/Evgeny/Evgeniy/Evgenii, Pavel, Maxim/Maksim, Artem/Artyom/Artiom, Roman, Denis, " +
    "Yuri/Yury/Iurii/Yuriy, Oleg, Igor, Anton, Kirill/Kiril, Viktor/Victor, Vadim, Konstantin, Ilya/Ilia, Stanislav",
  female:
    "Yelena/Elena/Jelena, Olga, Tatiana/Tatyana/Tatjana, Natalia/Natalya/Nataliya, Irina, Svetlana, Anna, " +
    "Maria/Mariya, Yekaterina/Ekaterina/Jekaterina, Anastasia/Anastasiya, Yulia/Yuliya/Julia/Iuliia, Marina, " +
    "Daria/Darya, Ksenia/Kseniya/Xenia, Oksana, Viktoria/Victoria/Viktoriya, Alina, Polina, Sofia/Sofiya, " +
    "Valentina, Galina, Lyudmila/Ludmila/Liudmila",
  family:
    "Ivanov, Smirnov, Kuznetsov/Kouznetsov, Popov, Vasilyev/Vasiliev/Vassiliev, Petrov, Sokolov, " +
    "Mikhailov/Mikhaylov, Novikov, Fedorov/Fyodorov/Fiodorov, Morozov, Volkov, Alekseyev/Alekseev/Alexeev, " +
    "Lebedev, Semyonov/Semenov, Yegorov/Egorov, Pavlov, Kozlov, Stepanov, Nikolayev/Nikolaev, Orlov, " +
    "Andreyev/Andreev, Makarov, Nikitin, Zakharov/Zaharov, Zaitsev/Zaytsev, Solovyov/Soloviev, Borisov, " +
    "Yakovlev/Iakovlev, Grigoryev/Grigoriev, Romanov, Kovalyov/Kovalev, Medvedev, Zhukov/Joukov, " +
    "Kiselyov/Kiselev, Belyaev/Beliaev, Tikhonov/Tihonov, Kalinin, Sorokin, Shcherbakov/Scherbakov",
  familySkew: 2.0,
  compose: (draw) => eastSlavicName(draw, 0.35, false),
  derivedForms: ({ male, family }) => derivedForms(male, family, false),
  common: { M: ["Sergei", "Ivanov"], F: ["Olga", "Ivanova"] },
});

/** Ukrainian naming: Ukrainian-passport and Russian-style transliterations of the same name. */
export const UKRAINIAN = defineCulture({
  id: "ukrainian",
  male:
    "Oleksandr/Olexandr/Aleksandr/Oleksander, Volodymyr/Vladimir/Wolodymyr, Mykola/Nikolai/Mykhola, " +
    "Serhiy/Serhii/Sergiy/Sergii/Sergei, Andriy/Andrii/Andrey, Dmytro/Dmitro/Dmitri, Yuriy/Yurii/Iurii, Ivan, " +
    "Vasyl/Vasil/Vasily, Petro/Pyotr, Oleh/Oleg, Ihor/Igor, Bohdan/Bogdan, Taras, Vitaliy/Vitalii, Maksym/Maxim, " +
    "Artem/Artyom, Roman, Denys/Denis, Yaroslav/Iaroslav",
  female:
    "Olena/Elena, Tetiana/Tetyana/Tatiana, Nataliia/Natalia/Nataliya, Iryna/Irina, Svitlana/Svetlana, Oksana, " +
    "Yuliia/Yulia/Iuliia, Kateryna/Ekaterina/Katerina, Anastasiia/Anastasia, Mariia/Maria, Halyna/Galina, " +
    "Liudmyla/Lyudmyla/Ludmila, Viktoriia/Victoria, Olha/Olga, Valentyna/Valentina, Khrystyna/Hrystyna/Kristina, " +
    "Daryna/Darina, Sofiia/Sofia, Alina, Solomiia/Solomia",
  family:
    "Melnyk/Melnik, Shevchenko, Boyko/Boiko, Kovalenko, Bondarenko, Tkachenko, Kovalchuk, Kravchenko, " +
    "Oliynyk/Oleinik/Oliinyk, Shevchuk, Koval, Polishchuk/Polischuk, Bondar, Tkachuk, Moroz, Marchenko, " +
    "Lysenko/Lisenko, Rudenko, Savchenko, Petrenko, Klymenko/Klimenko, Pavlenko, Savchuk, Kuzmenko, " +
    "Ponomarenko, Vasylenko/Vasilenko, Levchenko, Kharchenko/Harchenko, Karpenko, Havrylyuk/Gavrilyuk",
  compose: (draw) => eastSlavicName(draw, 0.15, true),
  derivedForms: ({ male, family }) => derivedForms(male, family, true),
  common: { M: ["Oleksandr", "Melnyk"], F: ["Olena", "Shevchenko"] },
});

/** Central Asian naming (Uzbekistan, Tajikistan, Kazakhstan, Kyrgyzstan): Russian-style gendered surnames. */
export const CENTRAL_ASIAN = defineCulture({
  id: "central_asian",
  male:
    "Aziz, Rustam, Timur, Jasur, Sardor/Sardorbek, Bekzod, Dilshod, Farrukh/Farukh, Shavkat, Alisher, Sherzod, " +
    "Umid, Nodir/Nodirbek, Otabek, Akmal, Islom/Islam, Jamshid/Jamshed, Ravshan, Bakhtiyor/Bakhtiyar/Baxtiyor, " +
    "Sanjar, Nurlan, Yerlan/Erlan, Daniyar",
  female:
    "Dilnoza, Gulnora/Gulnara, Nilufar/Nilufer, Madina, Zarina, Malika, Shahnoza, Feruza/Firuza, Nodira, " +
    "Gulnoza, Mokhira/Moxira, Dildora, Sevara, Umida, Kamola, Aigerim/Aygerim, Aizhan/Ayzhan",
  family:
    "Karimov, Rakhimov/Rahimov/Raximov, Usmonov/Usmanov, Yusupov/Yusufov, Aliyev/Aliev, Abdullayev/Abdullaev, " +
    "Ismoilov/Ismailov, Nazarov, Rashidov, Khodjaev/Xodjayev/Khojaev, Saidov/Saydov, Tursunov, " +
    "Ergashev/Ergashov, Sobirov/Sabirov, Mirzayev/Mirzaev, Kurbanov/Qurbonov, Nurmatov, Sultanov, " +
    "Akhmedov/Ahmedov/Axmedov, Azimov, Juraev/Djuraev",
  compose: (draw) => eastSlavicName(draw, 0.05, false),
  derivedForms: ({ male, family }) => derivedForms(male, family, false),
  common: { M: ["Rustam", "Karimov"], F: ["Dilnoza", "Karimova"] },
});
