/** `/control/migrations/<id>` → `/control/migrations`: span names stay few (ids go in attributes). */
export const controlResource = (path: string): string => path.split('/').slice(0, 3).join('/');
