// A copy of the open database (`boxoffice backup`), for the front that names where it goes.
export { copyDatabase } from '../db/backup.js';
