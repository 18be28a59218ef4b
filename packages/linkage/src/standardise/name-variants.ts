/**
 * Spelling variants of names that transliteration from Arabic, Cyrillic, Vietnamese, Chinese
 * and other scripts produces, and that DHS records hold side by side (DOMAIN.md §2.2). Each
 * group lists its canonical spelling first. Matching a group is evidence of the same name, not
 * proof: the comparison gives it its own level, weighted below exact agreement.
 */
const VARIANT_GROUPS: readonly (readonly string[])[] = [
  [
    "muhammad",
    "mohammed",
    "mohamed",
    "mohammad",
    "muhammed",
    "mohamad",
    "mohamud",
    "mouhamed",
    "muhamad",
    "mohammod",
    "mahomed",
    "muhamed",
    "mohummad",
    "mohd",
  ],
  ["ahmad", "ahmed", "ahmet", "achmed", "ahmat"],
  ["yusuf", "youssef", "yousef", "yusef", "youssouf", "yousif", "yosef", "jusuf", "yousuf", "yussuf"],
  ["husayn", "hussein", "husain", "hussain", "hossein", "husein", "houssein", "huseyin"],
  ["hasan", "hassan", "hasaan"],
  ["abdullah", "abdallah", "abdulla", "abdellah", "abdollah"],
  ["abdulrahman", "abdelrahman", "abdurrahman", "abderrahmane", "abdulrahmane", "abdalrahman"],
  ["umar", "omar", "omer", "ommar"],
  ["usama", "osama", "oussama", "usamah"],
  ["fatima", "fatma", "fatimah", "fatemeh", "fatuma", "fadma"],
  ["aisha", "ayesha", "aysha", "aicha", "aishah", "ayşe", "ayse"],
  ["mustafa", "mostafa", "moustafa", "mustapha", "moustapha"],
  ["ibrahim", "ebrahim", "ibraheem", "brahim"],
  ["ismail", "ismael", "ismaeel", "esmail"],
  ["khalid", "khaled", "halid"],
  ["mahmud", "mahmoud", "mahmood"],
  ["yasmin", "yasmine", "yasmeen", "jasmin"],
  ["abd", "abdul", "abdel", "abdal", "abdoul"],
  ["said", "saeed", "saied", "sayed", "sayyid", "saiid"],
  ["jamal", "gamal", "djamal"],
  ["nur", "noor", "nour"],
  ["zaynab", "zainab", "zeinab", "zeynep"],
  ["mariam", "maryam", "miriam", "meryem"],
  ["aleksandr", "alexander", "aleksander", "alexandr", "oleksandr", "alexandre"],
  ["aleksei", "alexei", "alexey", "aleksey", "oleksii", "oleksiy"],
  ["sergei", "sergey", "serguei", "serhii", "serhiy", "sergiy"],
  ["dmitrii", "dmitri", "dmitry", "dmitriy", "dimitri", "dmytro"],
  ["iurii", "yuri", "yury", "yuriy", "iouri", "yurii"],
  ["andrei", "andrey", "andrii", "andriy"],
  ["nikolai", "nikolay", "mykola", "nicolai"],
  ["mikhail", "michail", "mykhailo", "mikhael"],
  ["natalia", "natalya", "nataliya", "natalja"],
  ["tatiana", "tatyana", "tetiana", "tatjana"],
  ["ekaterina", "yekaterina", "katerina", "kateryna", "ekaterine"],
  ["evgenii", "evgeny", "yevgeny", "yevhen", "evgeniy", "yevgeniy"],
  ["iulia", "yulia", "yuliya", "julia"],
  ["nguyen", "nguyễn", "ngyuen", "nguien", "nguyn", "nguen", "ngwyen", "nuyen"],
  ["tran", "trần"],
  ["pham", "phạm", "fam"],
  ["huynh", "huỳnh", "hoynh"],
  ["zhang", "chang", "cheung", "cheong"],
  ["chen", "chan"],
  ["liu", "lau", "lao"],
  ["huang", "hwang"],
  ["wu", "woo"],
  ["li", "lee", "lie", "lei"],
  ["kim", "gim"],
  ["park", "pak", "bak"],
  ["choi", "choe", "chae"],
  ["jose", "josé"],
  ["gonzalez", "gonzales"],
  ["rodriguez", "rodrigues"],
  ["hernandez", "hernandes"],
  ["mohammadi", "mohammedi", "muhammadi"],
  ["hosseini", "husseini", "hoseini", "husaini"],
  ["yaw", "yao"],
  ["kofi", "coffie"],
];

/** Maps a variant spelling to its group's canonical spelling; a name in no group maps to itself. */
export const NAME_VARIANTS: ReadonlyMap<string, string> = buildVariantMap();

function buildVariantMap(): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of VARIANT_GROUPS) {
    const canonical = group[0]!;
    for (const variant of group) {
      // A spelling listed twice keeps its first group, so the map is a function.
      const folded = variant.normalize("NFKD").replace(/\p{M}+/gu, "");
      if (!map.has(folded)) map.set(folded, canonical);
    }
  }
  return map;
}
