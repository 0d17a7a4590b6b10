/** @clawea/db: the schema, migrations, ids and at-rest sealing every service shares. */
export * from "./schema/index.js";
export { createDatabase, poolOf, type Database, type Db, type Executor, type Tx } from "./client.js";
export { MIGRATIONS_FOLDER, migrateDatabase } from "./migrate.js";
export { BUILTIN_TEMPLATES } from "./builtin-templates.js";
export { ID_PREFIXES, isId, newId, type IdKind } from "./ids.js";
export { SealError, keyringFrom, seal, sealBinding, unseal, type Keyring } from "./seal.js";
export { openSecret, type OpenedSecret } from "./open-secret.js";
