import { defineError, registerErrors } from "@passage/core";

/** Errors raised by the linkage engine: settings, model artefacts, human decisions. */
export const LinkageErrors = {
  settingsInvalid: defineError(
    "PASSAGE_ERR_LINKAGE_SETTINGS_INVALID",
    "invalid_input",
    "Linkage settings or a link-file configuration are not valid",
    (where: string, problem: string) => ({ message: `${where}: ${problem}`, details: { where } }),
  ),
  modelInvalid: defineError(
    "PASSAGE_ERR_LINKAGE_MODEL_INVALID",
    "invalid_input",
    "A serialised linkage model is not a valid artefact",
    (where: string, problem: string) => ({
      message: `linkage model ${where}: ${problem}`,
      details: { where },
    }),
  ),
  modelVersionUnsupported: defineError(
    "PASSAGE_ERR_LINKAGE_MODEL_VERSION_UNSUPPORTED",
    "invalid_input",
    "A serialised linkage model has a schema version this engine cannot read",
    (found: unknown, supported: number) =>
      `linkage model schema version ${JSON.stringify(found)} is not supported (this engine reads ${supported})`,
  ),
  recordDuplicate: defineError(
    "PASSAGE_ERR_LINKAGE_RECORD_DUPLICATE",
    "invalid_input",
    "Two records given to the linkage engine share one id",
    (id: string) => ({ message: `record id "${id}" appears more than once`, details: { id } }),
  ),
  decisionsConflict: defineError(
    "PASSAGE_ERR_LINKAGE_DECISIONS_CONFLICT",
    "conflict",
    "Human must-link and cannot-link decisions contradict each other",
    (left: string, right: string) => ({
      message: `records "${left}" and "${right}" are cannot-linked, yet must-link decisions join them; resolve one decision`,
      details: { left, right },
    }),
  ),
  trainingImpossible: defineError(
    "PASSAGE_ERR_LINKAGE_TRAINING_IMPOSSIBLE",
    "invalid_input",
    "The records cannot train a linkage model",
    (reason: string) => `cannot train a linkage model: ${reason}`,
  ),
};
registerErrors("@passage/linkage", LinkageErrors);
