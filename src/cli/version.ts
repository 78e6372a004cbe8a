/** The tool's version, kept in one place (package.json says the same; a test checks it). */
export const VERSION = '0.1.0';
