/** One browser tab's "open the share panel once" flag, set by the home page right after creating a meeting. */
export const openShareFlag = (boardId: string): string => `tavolo.openShare.${boardId}`
