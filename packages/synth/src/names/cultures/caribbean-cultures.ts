import { defineCulture } from "../naming-culture.ts";

/**
 * Haitian naming: compound French given names (Jean Robert, Marie Carmelle) written with or
 * without hyphens, and surnames like Jean-Baptiste or Saint-Fleur that sources abbreviate.
 */
export const HAITIAN = defineCulture({
  id: "haitian",
  male:
    "Jean, Jean-Robert/Jean_Robert, Jean-Claude/Jean_Claude, Jean-Pierre/Jean_Pierre, Pierre, Joseph, Wilson, " +
    "Frantz/Franz, Jacques, Emmanuel, Ricardo, Wesley, Marc, Louis, Evens, Johnny/Jhonny, Stanley, Peterson, " +
    "Woodly, Fritznel, Wilner, Jimmy, Kervens, Daniel, Roody/Rudy",
  female:
    "Marie, Marie-Carmelle/Marie_Carmelle, Marie-Ange/Marie_Ange, Marie-Michelle/Marie_Michelle, " +
    "Marie-Lourdes/Marie_Lourdes, Rose, Guerline, Nadège/Nadege, Fabiola, Mirlande, Islande, Judith, Sandra, " +
    "Ketly, Magalie, Roseline, Widline, Darline, Nathalie, Yvrose, Loudia, Sherline, Kerline",
  family:
    "Joseph, Jean, Pierre, Louis, Charles, Jean-Baptiste/Jean_Baptiste, Saint-Fleur/St_Fleur/St._Fleur, " +
    "Saint-Louis/St_Louis, Jean-Louis/Jean_Louis, Étienne/Etienne, François/Francois, Désir/Desir, Dorvil, " +
    "Noël/Noel, Alexis, Paul, Michel, Augustin, Cadet, Célestin/Celestin, Dorsainvil, Exantus, Fleurimond, " +
    "Georges, Jeune, Lafortune, Petit-Frère/Petit_Frere, Toussaint, Valcin, Metellus, Bien-Aimé/Bienaime",
  givenSkew: 2.4,
  familySkew: 2.4,
  middleShare: 0.2,
  common: { M: ["Jean", "Joseph"], F: ["Marie", "Jean-Baptiste"] },
});

/** English-speaking Caribbean naming (Jamaica, Trinidad and Tobago, Guyana). */
export const CARIBBEAN_ANGLO = defineCulture({
  id: "caribbean_anglo",
  male:
    "Andre/André, Dwayne/Duane, Kemar, Jermaine, Omar, Devon, Ricardo, Shane, Rohan, Garfield, Michael, Kevin, " +
    "Marlon, Damian/Damion, Christopher",
  female:
    "Shanice, Tamika, Keisha, Kadian, Shantel/Chantal, Tanisha, Latoya, Sashana, Kimone, Nadine, Nicole, " +
    "Simone, Tashana, Monique, Kerry-Ann/Kerryann",
  family:
    "Brown, Williams, Campbell, Thomas, Smith, Johnson, Clarke/Clark, Reid/Reed, Francis, Grant, Henry, Gordon, " +
    "Morgan, Stewart, Bailey, McKenzie/MacKenzie, Lewis, Hamilton, Wright, Ellis, Ramdass, Persaud, Singh",
  middleShare: 0.5,
  common: { M: ["Andre", "Brown"], F: ["Shanice", "Williams"] },
});
