import { defineCulture, distinctTokens, twoSurnames } from "../naming-culture.ts";

/**
 * Spanish naming (Mexico, Central and South America, the Caribbean, Spain): one or two given
 * names, then the father's first surname and the mother's first surname. US systems split,
 * join, hyphenate or cut the two surnames, and often take the last word as "the" surname.
 */
export const HISPANIC = defineCulture({
  id: "hispanic",
  male:
    "José, Juan, Luis, Carlos, Jesús, Miguel, Francisco, Jorge, Pedro, Antonio, Alejandro, Manuel, José_Luis, " +
    "Juan_Carlos, Ricardo, Fernando, Roberto, Javier, Mario, Daniel, Eduardo, Rafael, Sergio, Raúl, Héctor, " +
    "Óscar/Oscar, Arturo, Alberto, Enrique, Víctor/Victor, Jaime, Edgar, Julio, Ángel, Martín, Ramón, Diego, Andrés, " +
    "Santiago, Mateo, Kevin, Brayan/Bryan/Brian, Wilmer, Elmer, Nelson, Marvin, Henry, Erick/Eric, " +
    "Yeferson/Jefferson/Jeferson, Jhon/John, Jonathan/Jhonatan, Cristian/Christian, Josué, Abraham, Moisés, Gerardo",
  female:
    "María, Guadalupe, Ana, Rosa, Carmen, Juana, Verónica, Patricia, Laura, Gabriela, Alejandra, Leticia, " +
    "Claudia, Sandra, Silvia, Adriana, Marta/Martha, Elizabeth/Elisabeth, Yesenia/Jesenia, Maribel, Karla/Carla, " +
    "Daniela, Fernanda, Valentina, Sofía, Lucía, Diana, Mónica, Norma, Blanca, Esperanza, Dolores, Yolanda, " +
    "Yessica/Jessica/Yesica, Evelyn/Evelin, Wendy, Marisol, Yaneth/Janeth/Yanet, Dayana/Dayanna/Diana, " +
    "María_de_los_Ángeles, Ana_María, María_José, Rosa_María, Lorena, Paola, Andrea, Ximena/Jimena, Iris, Glenda",
  family:
    "Hernández, García, Martínez, López, González, Rodríguez, Pérez, Sánchez, Ramírez, Flores, Gómez, Díaz, " +
    "Cruz, Morales, Reyes, Gutiérrez, Ortiz, Torres, Ramos, Vásquez/Vázquez/Vasquez, Castillo, Jiménez/Giménez, " +
    "Mendoza, Ruiz, Álvarez, Romero, Chávez, Aguilar, Moreno, Herrera, Medina, Castro, Vargas, Guzmán, Rojas, " +
    "Contreras, Salazar, Estrada, Domínguez, Mejía/Mejia, Orellana, Argueta, de_la_Cruz, de_León, del_Cid, " +
    "de_la_Rosa, del_Valle, de_Jesús, Velásquez/Velazquez, Zelaya, Portillo, Villalobos, Cabrera, Fuentes, " +
    "Navarro, Delgado, Rivera, Santos, Padilla, Cárdenas, Escobar, Barrios, Sosa, Alvarado, Figueroa, Lara",
  givenSkew: 2.4,
  familySkew: 2.6,
  compose: (draw) => {
    const name = twoSurnames(draw, 0.35, 0.85);
    return { given: distinctTokens(name.given), family: name.family };
  },
  common: { M: ["José", "Hernández", "García"], F: ["María", "Hernández", "López"] },
});

/** Portuguese and Brazilian naming: one or two given names, then one to three surnames, often with da/dos/de. */
export const LUSOPHONE = defineCulture({
  id: "lusophone",
  male:
    "João, José, Antônio/António, Francisco, Carlos, Paulo, Pedro, Lucas, Luiz/Luís, Marcos, Gabriel, Rafael, " +
    "Daniel, Marcelo, Bruno, Eduardo, Felipe/Filipe, Rodrigo, Thiago/Tiago, Matheus/Mateus, Gustavo, Leandro, " +
    "Fábio, Diego, Vinícius, Guilherme, Ricardo, Sérgio, Anderson, Wellington",
  female:
    "Maria, Ana, Francisca, Antônia, Adriana, Juliana, Márcia, Fernanda, Patrícia, Aline, Sandra, Camila, " +
    "Amanda, Bruna, Jéssica, Letícia, Júlia, Luciana, Vanessa, Mariana, Gabriela, Larissa, Tatiane, Raquel, Beatriz",
  family:
    "Silva, Santos, Oliveira, Souza/Sousa, Rodrigues, Ferreira, Alves, Pereira, Lima, Gomes, Costa, Ribeiro, " +
    "Martins, Carvalho, Almeida, Lopes, Soares, Fernandes, Vieira, Barbosa, Rocha, Dias, Nascimento, Andrade, " +
    "Moreira, Nunes, Marques, Machado, Mendes, Freitas, da_Silva, dos_Santos, de_Souza, da_Costa, " +
    "do_Nascimento, de_Oliveira, da_Conceição",
  familySkew: 2.4,
  compose: (draw) => {
    const given = draw.random.chance(0.35)
      ? distinctTokens([...draw.given(), ...draw.given()])
      : draw.given();
    const units = draw.random.chance(0.2) ? 3 : draw.random.chance(0.7) ? 2 : 1;
    const family = [];
    for (let unit = 0; unit < units; unit++) family.push(...draw.family());
    return { given, family: distinctTokens(family) };
  },
  common: { M: ["José", "da_Silva"], F: ["Maria", "da_Silva"] },
});

/**
 * Filipino naming: given names, the mother's maiden surname as a middle name (which US forms
 * put among the given names), and the father's surname, sometimes with de la / delos.
 */
export const FILIPINO = defineCulture({
  id: "filipino",
  male:
    "Jose, Juan, Mark, John_Paul, Michael, Jerome, Christian, Ramon, Rogelio, Eduardo, Ricardo, Danilo, Rodel, " +
    "Jomar, Arnel, Reynaldo, Romeo, Ferdinand, Rolando, Jayson/Jason, Joel, Renato, Jun, Noel, Ronaldo",
  female:
    "Maria/Ma., Cristina/Kristina, Rosario, Marites, Maricel, Lorna, Jocelyn, Rowena, Mary_Grace, Mary_Joy, " +
    "Analyn, Jennylyn, Rhea, Grace, Joy, Lovely, Angelica, Kristine/Christine, Maria_Cristina, Liza, Arlene",
  family:
    "Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Torres, Tomas, Andrada, Castillo, Flores, " +
    "Villanueva, Ramos, Castro, Rivera, Aquino, Navarro, Salazar, Mercado, dela_Cruz/de_la_Cruz, de_los_Santos, " +
    "delos_Reyes/de_los_Reyes, de_Guzman, Dimaculangan, Macaraeg, Manalo, Pangilinan, Lim, Tan, Sy, Domingo",
  compose: (draw) => {
    const given = draw.random.chance(0.3) ? distinctTokens([...draw.given(), ...draw.given()]) : draw.given();
    const middle = draw.random.chance(0.6) ? draw.family() : [];
    return { given: [...given, ...middle], family: draw.family() };
  },
  common: { M: ["Jose", "dela_Cruz"], F: ["Maria", "Santos"] },
});
