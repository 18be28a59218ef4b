import { assertUnreachable } from "@passage/core";
import type { ComparisonSettings } from "../model/linkage-settings.ts";
import { createDateComparator } from "./date-comparator.ts";
import type { FieldComparator } from "./field-comparator.ts";
import { createIdentifierComparator } from "./identifier-comparator.ts";
import { createNameComparator } from "./name-comparator.ts";
import {
  createExactComparator,
  createNumberComparator,
  createPostcodeComparator,
  createTextComparator,
} from "./value-comparators.ts";

/** The comparator for a comparison's kind. */
export function createComparator(settings: ComparisonSettings): FieldComparator {
  switch (settings.kind) {
    case "given_name":
    case "family_name":
    case "full_name":
      return createNameComparator(settings) as FieldComparator;
    case "date":
      return createDateComparator(settings) as FieldComparator;
    case "identifier":
      return createIdentifierComparator(settings) as FieldComparator;
    case "exact":
      return createExactComparator(settings) as FieldComparator;
    case "postcode":
      return createPostcodeComparator(settings) as FieldComparator;
    case "text":
      return createTextComparator(settings) as FieldComparator;
    case "number":
      return createNumberComparator(settings) as FieldComparator;
    default:
      return assertUnreachable(settings.kind);
  }
}
