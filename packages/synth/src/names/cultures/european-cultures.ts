import { defineCulture, distinctTokens } from "../naming-culture.ts";
import { mapToken } from "../person-name.ts";

/** English naming (UK, Ireland, Canada, Australia): first and often a middle name; O'/Mc/Mac surnames. */
export const ANGLO = defineCulture({
  id: "anglo",
  male:
    "James, John, Robert, Michael, William, David, Richard, Joseph, Thomas, Christopher, Daniel, Matthew, " +
    "Anthony, Mark, Paul, Steven/Stephen, Andrew, Kevin, Brian, George, Oliver, Harry, Jack, Liam, Noah, " +
    "Samuel, Benjamin, Edward, Patrick, Sean/Shaun",
  female:
    "Mary, Patricia, Jennifer, Linda, Elizabeth, Susan, Jessica, Sarah/Sara, Karen, Lisa, Nancy, Emma, Olivia, " +
    "Sophie, Charlotte, Emily, Amelia, Grace, Chloe, Hannah, Catherine/Katherine/Kathryn, Rebecca, Laura, Anne/Ann",
  family:
    "Smith, Jones, Williams, Brown, Taylor, Davies/Davis, Evans, Wilson, Thomas, Johnson, Roberts, Robinson, " +
    "Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Wood, Harris, Lewis, Martin, Jackson, " +
    "Clarke/Clark, O'Brien, O'Connor, O'Neill, McDonald/MacDonald, McKenzie/MacKenzie, Murphy, Kelly, Campbell, " +
    "Stewart/Stuart, Anderson, Scott, Young, Mitchell, Lloyd-Jones, Phillips, Turner, Collins",
  middleShare: 0.55,
  common: { M: ["James", "Smith"], F: ["Mary", "Smith"] },
});

/** German naming: umlauts that travel documents write as ue/oe/ae and other systems drop. */
export const GERMAN = defineCulture({
  id: "german",
  male:
    "Thomas, Michael, Andreas, Stefan/Stephan, Christian, Peter, Klaus, Jürgen/Juergen, Wolfgang, Markus/Marcus, " +
    "Lukas/Lucas, Maximilian, Felix, Jonas, Paul, Leon, Sebastian, Tobias, Florian, Matthias, Jörg/Joerg, Uwe",
  female:
    "Sabine, Susanne, Petra, Claudia, Andrea, Monika, Julia, Anna, Laura, Lena, Katharina, Sarah, Lea, Hannah, " +
    "Sophie, Birgit, Ursula, Jana, Nicole, Stefanie, Gisela, Renate",
  family:
    "Müller/Mueller/Muller, Schmidt, Schneider, Fischer, Weber, Meyer/Meier/Maier, Wagner, Becker, Schulz, " +
    "Hoffmann, Schäfer/Schaefer/Schafer, Koch, Bauer, Richter, Klein, Wolf, Schröder/Schroeder/Schroder, " +
    "Neumann, Schwarz, Zimmermann, Braun, Krüger/Krueger/Kruger, Hofmann, Hartmann, Lange, Weiß/Weiss, " +
    "von_Berg, von_der_Heide, Schmitt, Werner, Krause",
  middleShare: 0.25,
  common: { M: ["Thomas", "Müller"], F: ["Sabine", "Müller"] },
});

/** Dutch naming: tussenvoegsels (van, de, van der) that sources capitalise, join or drop. */
export const DUTCH = defineCulture({
  id: "dutch",
  male: "Jan, Pieter, Hendrik, Johannes, Willem, Cornelis, Daan, Sem, Lucas, Thijs, Bram, Jeroen, Maarten, Sander, Ruben",
  female:
    "Anna, Maria, Emma, Julia, Sophie, Lotte, Anouk, Sanne, Femke, Eva, Fleur, Iris, Lisa, Marieke, Johanna",
  family:
    "de_Jong, Jansen, de_Vries, van_den_Berg, van_Dijk/van_Dyk, Bakker, Janssen, Visser, Smit, Meijer/Meyer, " +
    "de_Boer, Mulder, de_Groot, Bos, Vos, Peters, Hendriks, van_Leeuwen, Dekker, Brouwer, de_Wit, Dijkstra, " +
    "Smits, de_Graaf, van_der_Meer, van_der_Linden, Kok, Jacobs, de_Haan, Vermeulen",
  middleShare: 0.3,
  common: { M: ["Jan", "de_Jong"], F: ["Anna", "de_Vries"] },
});

/** French naming: hyphenated given names (Jean-Pierre, Marie-Claire) and accents. */
export const FRENCH = defineCulture({
  id: "french",
  male:
    "Jean, Pierre, Michel, Philippe, Alain, Nicolas, François/Francois, Laurent, Julien, Thomas, Lucas, Hugo, " +
    "Louis, Antoine, Jean-Pierre/Jean_Pierre, Jean-Luc, Jean-Claude/Jean_Claude, Olivier, Sébastien/Sebastien",
  female:
    "Marie, Nathalie, Isabelle, Sylvie, Catherine, Françoise, Sophie, Camille, Léa/Lea, Chloé/Chloe, Manon, " +
    "Emma, Julie, Céline/Celine, Aurélie/Aurelie, Marie-Claire/Marie_Claire, Anne-Sophie, Hélène/Helene",
  family:
    "Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, Laurent, " +
    "Lefèvre/Lefebvre/Lefevre, Michel, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard, André/Andre, " +
    "Mercier, Dupont, Lambert, Bonnet, François, Le_Gall, Le_Roux, Rousseau, Blanc, Guerin",
  middleShare: 0.2,
  common: { M: ["Jean", "Martin"], F: ["Marie", "Martin"] },
});

/** Italian naming: particles (De, Di, Lo) that sources join or drop. */
export const ITALIAN = defineCulture({
  id: "italian",
  male:
    "Giuseppe, Giovanni, Antonio, Mario, Luigi, Francesco, Angelo, Vincenzo, Pietro, Salvatore, Carlo, Marco, " +
    "Andrea, Luca, Alessandro, Matteo, Lorenzo, Davide, Simone, Roberto",
  female:
    "Maria, Anna, Giuseppina, Rosa, Angela, Giovanna, Teresa, Lucia, Carmela, Francesca, Giulia, Chiara, Sara, " +
    "Martina, Alessia, Elena, Valentina, Federica",
  family:
    "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo, Conti, " +
    "De_Luca/DeLuca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Di_Stefano/DiStefano, De_Angelis, " +
    "Di_Giacomo, Lo_Russo, D'Angelo/DAngelo",
  middleShare: 0.15,
  common: { M: ["Giuseppe", "Rossi"], F: ["Maria", "Rossi"] },
});

const POLISH_FEMININE: readonly [RegExp, string][] = [
  [/ski$/, "ska"],
  [/cki$/, "cka"],
  [/dzki$/, "dzka"],
];

function polishFeminine(surname: string): string {
  return POLISH_FEMININE.reduce((word, [ending, feminine]) => word.replace(ending, feminine), surname);
}

/** Polish naming: diacritics (ł, ś, ż) and gendered surnames (Kowalski / Kowalska). */
export const POLISH = defineCulture({
  id: "polish",
  male:
    "Piotr, Krzysztof, Andrzej, Tomasz, Paweł/Pawel, Jan, Michał/Michal, Marcin, Jakub, Adam, Łukasz/Lukasz, " +
    "Grzegorz, Mateusz, Wojciech, Mariusz, Dariusz, Zbigniew",
  female:
    "Anna, Maria, Katarzyna, Małgorzata/Malgorzata, Agnieszka, Barbara, Ewa, Krystyna, Magdalena, " +
    "Elżbieta/Elzbieta, Joanna, Aleksandra, Monika, Zofia, Beata, Dorota",
  family:
    "Nowak, Kowalski, Wiśniewski/Wisniewski, Wójcik/Wojcik, Kowalczyk, Kamiński/Kaminski, Lewandowski, " +
    "Zieliński/Zielinski, Szymański/Szymanski, Woźniak/Wozniak, Dąbrowski/Dabrowski, Kozłowski/Kozlowski, " +
    "Jankowski, Mazur, Wojciechowski, Kwiatkowski, Krawczyk, Piotrowski, Grabowski, Nowicki",
  middleShare: 0.1,
  compose: (draw) => {
    const given = draw.random.chance(0.1) ? distinctTokens([...draw.given(), ...draw.given()]) : draw.given();
    const family = draw.family();
    return {
      given,
      family: draw.sex === "F" ? family.map((token) => mapToken(token, polishFeminine)) : family,
    };
  },
  derivedForms: ({ family }) => family.map(polishFeminine),
  common: { M: ["Piotr", "Nowak"], F: ["Anna", "Nowak"] },
});
