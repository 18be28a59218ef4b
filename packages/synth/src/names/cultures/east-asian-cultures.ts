import { defineCulture } from "../naming-culture.ts";

const CHINESE_FAMILY =
  "Wang/Wong, Li/Lee/Lei, Zhang/Chang/Cheung, Liu/Lau/Lao, Chen/Chan/Chin, Yang/Yeung/Young, " +
  "Huang/Wong/Hwang, Zhao/Chao/Chiu, Wu/Ng/Woo, Zhou/Chou/Chow, Xu/Hsu/Tsui, Sun/Suen, Ma/Mah, Zhu/Chu/Choo, " +
  "Hu/Woo/Hoo, Guo/Kuo/Kwok, He/Ho, Lin/Lam/Lim, Gao/Kao/Ko, Luo/Lo/Law, Zheng/Cheng/Chang, Liang/Leung, " +
  "Xie/Hsieh/Tse, Song/Sung, Tang/Tong, Han/Hon, Feng/Fung, Deng/Teng/Tang, Cao/Tsao/Tso, Peng/Pang";

/** Mainland Chinese naming in pinyin: one-syllable family name, given name written joined. */
export const CHINESE_MAINLAND = defineCulture({
  id: "chinese_mainland",
  male:
    "Wei, Qiang, Lei, Jun, Yang, Yong, Jie, Tao, Ming, Chao, Hao, Bin, Xiao|ming, Jian|guo, Zhi|qiang, Jian|hua, " +
    "Hao|ran, Zi|han, Yu|xuan, Zhi|hao, Jun|jie, Wen|jie, Guo|qiang, Jian|jun, Hai|tao, Zhi|wei, Yi|chen",
  female:
    "Fang, Na, Min, Jing, Li, Yan, Hui, Ying, Xiu|ying, Gui|ying, Xiu|lan, Yu|lan, Hai|yan, Xiao|hong, Yi|nuo, " +
    "Xin|yi, Yu|tong, Jia|hui, Hui|min, Li|na, Shu|fen, Chun|mei, Xiao|ling, Mei|ling, Li|juan",
  family: CHINESE_FAMILY,
  familySkew: 2.4,
  compose: (draw) => ({ given: draw.given(), family: draw.family() }),
  common: { M: ["Wei", "Wang"], F: ["Fang", "Li"] },
});

/** Taiwanese naming: Wade-Giles spellings, given names hyphenated. */
export const CHINESE_TAIWAN = defineCulture({
  id: "chinese_taiwan",
  male:
    "Chih|hao, Chun|chieh, Cheng|en, Chien|hung, Kuan|ting, Tsung|han, Wen|hsiung, Ming|hui, Chia|hao, Yu|cheng, " +
    "Po|wei, Chih|ming, Kuo|hua, Chin|lung",
  female:
    "Chia|hui, Shu|fen, Mei|ling, Yi|ting, Hsin|yi, Ya|ting, Shu|hui, Yu|chen, Pei|shan, Hui|ling, Ya|wen, " +
    "Chiu|hsiang, Li|hua",
  family:
    "Chen/Chan/Chen, Lin/Lim, Huang/Hwang, Chang/Zhang, Li/Lee, Wang/Wong, Wu/Woo, Liu/Lau, Tsai/Cai/Choi, " +
    "Yang/Yeung, Hsu/Xu, Cheng/Zheng, Hsieh/Xie, Kuo/Guo, Hung/Hong, Chiu/Qiu, Tseng/Zeng, Liao, Lai, Chou/Zhou",
  hyphenFirst: true,
  compose: (draw) => ({ given: draw.given(), family: draw.family() }),
  common: { M: ["Chih|hao", "Chen"], F: ["Shu|fen", "Lin"] },
});

/** Hong Kong naming: Cantonese romanisation, hyphenated given names, often an English first name. */
export const CHINESE_HONG_KONG = defineCulture({
  id: "chinese_hong_kong",
  male:
    "Ka|wai, Wing|kei, Siu|ming, Chi|keung, Wai|man, Kwok|wai, Chun|kit, Ho|yin, Man|kit, Tsz|chun, " +
    "Michael, Jason, Kenneth, Raymond, Eric",
  female: "Mei|ling, Suk|fan, Yuk|lan, Wai|yee, Ka|yan, Hoi|yan, Mei|yee, Sze|wan, Ivy, Winnie, Karen, Cindy",
  family:
    "Chan/Chen, Wong/Huang, Lee/Li, Cheung/Zhang, Lau/Liu, Leung/Liang, Ho/He, Ng/Wu, Lam/Lin, Tsang/Zeng, " +
    "Chow/Zhou, Yip/Ye, Tang/Deng, Lai, Kwok/Guo, Tse/Xie, Fung/Feng, Mak, Cheng/Zheng, Lo/Luo",
  hyphenFirst: true,
  compose: (draw) => {
    const given = draw.given();
    if (draw.random.chance(0.2)) given.unshift(...draw.given());
    return {
      given: given.filter((token, index) => index === 0 || token.text !== given[0]!.text),
      family: draw.family(),
    };
  },
  common: { M: ["Ka|wai", "Chan"], F: ["Mei|ling", "Wong"] },
});

/** Korean naming: a handful of family names cover most people; given names are two syllables. */
export const KOREAN = defineCulture({
  id: "korean",
  male:
    "Min|jun, Seo|jun, Ji|ho, Ha|jun, Do|yun, Ji|hoon, Hyun|woo, Sung|min/Seong|min, Young|ho/Yeong|ho, " +
    "Jae|hyun, Dong|hyun, Jun|ho, Sang|woo, Joon|young, Kwang|soo",
  female:
    "Seo|yeon, Ji|woo, Ha|eun, Min|seo, Soo|jin/Su|jin, Eun|ji, Hye|jin, Ji|eun, Yu|na, Ji|min, Su|bin, " +
    "Mi|kyung, Young|hee/Yeong|hui, Jung|hee, Eun|young",
  family:
    "Kim/Gim, Lee/Yi/Rhee/Ri, Park/Pak/Bak, Choi/Choe/Choy, Jung/Jeong/Chung, Kang/Gang, Cho/Jo, Yoon/Yun, " +
    "Jang/Chang, Lim/Im, Han, Oh, Seo/Suh, Shin/Sin, Kwon/Gwon, Hwang, Ahn/An, Song, Jeon/Jun/Chun, Hong",
  familySkew: 3,
  hyphenFirst: true,
  compose: (draw) => ({ given: draw.given(), family: draw.family() }),
  common: { M: ["Min|jun", "Kim"], F: ["Seo|yeon", "Kim"] },
});

/** Japanese naming: Hepburn variants for long vowels (Sato, Satoh, Satou). */
export const JAPANESE = defineCulture({
  id: "japanese",
  male:
    "Hiroshi, Takashi, Kenji, Takeshi, Satoshi, Yuki/Yuuki, Daisuke, Kenta, Shota/Shouta, Ryota/Ryouta, Haruto, " +
    "Sota/Souta, Yusuke/Yuusuke, Kazuki, Takumi",
  female:
    "Yoko/Yohko/Youko, Keiko, Yuko/Yuuko, Akiko, Tomoko, Sakura, Yui, Aoi, Hina, Yuna, Mei, Misaki, Haruka, " +
    "Ayaka, Nanami",
  family:
    "Sato/Satou/Satoh, Suzuki, Takahashi, Tanaka, Watanabe, Ito/Itou/Itoh, Yamamoto, Nakamura, Kobayashi, " +
    "Kato/Katou/Katoh, Yoshida, Yamada, Sasaki, Yamaguchi, Matsumoto, Inoue, Kimura, Hayashi, Shimizu, Ono/Ohno/Oono",
  compose: (draw) => ({ given: draw.given(), family: draw.family() }),
  common: { M: ["Hiroshi", "Sato"], F: ["Yoko", "Sato"] },
});

/**
 * Vietnamese naming: family name first at home (Nguyễn is about 38% of people), a middle name
 * (Văn for many men, Thị for many women) and a given name; diacritics that most systems drop.
 */
export const VIETNAMESE = defineCulture({
  id: "vietnamese",
  male:
    "Minh, Hùng, Tuấn, Nam, Long, Dũng, Hải, Sơn, Phong, Thành, Hoàng, Quang, Trung, Khánh, Huy, Bảo, Phúc, " +
    "Hiếu, Tâm, Đức",
  female:
    "Lan, Hương, Mai, Hoa, Linh, Trang, Thảo, Hằng, Ngọc, Phương, Anh, Thủy, Hà, Nhung, Yến, Loan, Vân, Hạnh, " +
    "Dung, Uyên",
  family:
    "Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý, Trương, Đinh, Lâm, Mai",
  lists: {
    maleMiddle: "Văn, Văn, Văn, Đức, Minh, Quốc, Hữu, Thanh",
    femaleMiddle: "Thị, Thị, Thị, Ngọc, Thu, Kim, Mỹ",
  },
  familySkew: 3.2,
  compose: (draw) => {
    const middle = draw.random.chance(0.85)
      ? draw.list(draw.sex === "M" ? "maleMiddle" : "femaleMiddle")
      : [];
    return { given: [...middle, ...draw.given()], family: draw.family() };
  },
  common: { M: ["Văn Minh", "Nguyễn"], F: ["Thị Lan", "Nguyễn"] },
});
