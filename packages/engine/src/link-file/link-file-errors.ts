import { defineError, registerErrors } from "@passage/core";

/** Errors of `passage link-file`'s file handling (configuration and linkage errors come from @passage/linkage). */
export const LinkFileErrors = {
  fileNotFound: defineError(
    "PASSAGE_ERR_LINK_FILE_NOT_FOUND",
    "not_found",
    "A file link-file should read does not exist or is not a regular file",
    (role: string, file: string) => ({
      message: `${role} ${file} does not exist or is not a file`,
      details: { file },
    }),
  ),
  configNotJson: defineError(
    "PASSAGE_ERR_LINK_FILE_CONFIG_NOT_JSON",
    "invalid_input",
    "The link-file configuration is not JSON",
    (file: string, reason: string) => ({ message: `${file} is not JSON: ${reason}`, details: { file } }),
  ),
  csvInvalid: defineError(
    "PASSAGE_ERR_LINK_FILE_CSV_INVALID",
    "invalid_input",
    "An input of link-file is not a readable CSV file with a header row",
    (file: string, reason: string) => ({ message: `${file}: ${reason}`, details: { file } }),
  ),
  idsAmbiguous: defineError(
    "PASSAGE_ERR_LINK_FILE_IDS_AMBIGUOUS",
    "invalid_input",
    "Two inputs share record ids, so clusters.csv could not tell their records apart",
    (id: string) =>
      `both inputs hold a record with id "${id}": clusters.csv names records by id alone, so ids must be unique across inputs`,
  ),
  outputUnwritable: defineError(
    "PASSAGE_ERR_LINK_FILE_OUTPUT_UNWRITABLE",
    "invalid_input",
    "An output of link-file cannot be written (its directory is missing or read-only, or it is a directory)",
    (role: string, file: string, reason: string) => ({
      message: `cannot write the ${role} file ${file}: ${reason}; nothing was linked or written`,
      details: { file },
    }),
  ),
};
registerErrors("@passage/engine:link-file", LinkFileErrors);
