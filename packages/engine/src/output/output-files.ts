import fs from "node:fs";
import path from "node:path";

/** Builds the coded error of one command's unwritable output from the file system's reason. */
export type UnwritableOutput = (reason: string) => Error;

/** An error thrown by a file system call (it names a syscall and an errno code). */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === "string" &&
    (error as NodeJS.ErrnoException).syscall !== undefined
  );
}

/**
 * Creates `directory` and its missing parents one at a time. Not `mkdir(..., { recursive: true })`:
 * on Node 20 it never settles, spinning a CPU, for a path under /proc (`passage report --out
 * /proc/nope` hung); one component at a time, such a path fails with the file system's error.
 */
async function makeDirectories(directory: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    try {
      await fs.promises.stat(current);
      break;
    } catch (error) {
      if (!isFileSystemError(error) || error.code !== "ENOENT" || path.dirname(current) === current)
        throw error;
      missing.push(current);
    }
  }
  for (const component of missing.reverse()) {
    try {
      await fs.promises.mkdir(component);
    } catch (error) {
      // Made by someone else in the meantime: fine, as long as it is a directory (checked next).
      if (!isFileSystemError(error) || error.code !== "EEXIST") throw error;
    }
  }
}

/**
 * Creates `directory` if needed and checks it can be written, before a command does its work: an
 * output that cannot be written fails at once, as `unwritable`'s error.
 */
export async function prepareOutputDirectoryOrThrow(
  directory: string,
  unwritable: UnwritableOutput,
): Promise<void> {
  try {
    await makeDirectories(directory);
    if (!(await fs.promises.stat(directory)).isDirectory()) {
      // What mkdir says of a file in the directory's place.
      throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${directory}'`), {
        code: "EEXIST",
        syscall: "mkdir",
      });
    }
    await fs.promises.access(directory, fs.constants.W_OK);
  } catch (error) {
    throw unwritable(isFileSystemError(error) ? error.message : String(error));
  }
}

/**
 * Writes files into `directory`, each first under a `.partial` name and renamed only once every
 * one is written: a write that fails leaves none of them (and no `.partial` file) behind.
 */
export async function writeOutputFilesOrThrow(
  directory: string,
  files: readonly (readonly [name: string, content: string])[],
  unwritable: UnwritableOutput,
): Promise<void> {
  const partial = (name: string) => path.join(directory, `${name}.partial`);
  try {
    for (const [name, content] of files) await fs.promises.writeFile(partial(name), content);
    for (const [name] of files) await fs.promises.rename(partial(name), path.join(directory, name));
  } catch (error) {
    throw unwritable(isFileSystemError(error) ? error.message : String(error));
  } finally {
    for (const [name] of files) await fs.promises.rm(partial(name), { force: true });
  }
}
