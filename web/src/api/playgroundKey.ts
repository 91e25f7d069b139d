/**
 * The customer API key the playground chats with. Kept for the tab only (sessionStorage): the keys page
 * hands a newly created key over, or the person pastes one.
 */
const storageKey = 'qudao.playgroundKey';

export const loadPlaygroundKey = (): string => sessionStorage.getItem(storageKey) ?? '';
export const savePlaygroundKey = (key: string): void => sessionStorage.setItem(storageKey, key);
