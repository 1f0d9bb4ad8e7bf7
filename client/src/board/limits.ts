/**
 * Shapes per page. tldraw's default is 4000; we choose 3000 on purpose: measured here, 2,000 notes take ~3 s to
 * become interactive and pan at ~21 ms/frame on a modest machine, 5,000 at ~84 ms/frame. A workshop board with
 * thousands of items is already unreadable; 3000 leaves room for large maps while staying usable on the
 * municipal laptops and projectors we target. BoardFullNotice tells the person when a page is full.
 */
export const MAX_SHAPES_PER_PAGE = 3000

/**
 * Pasted and dropped images. tldraw stores them inside the board as data URLs (no upload service), and by default
 * takes files up to 10 MB at full size: one phone photo would be one WebSocket frame over the server's
 * MAX_MESSAGE_BYTES (4 MiB, README "Limits"), refused with 1009 at every reconnect. Images are scaled down to
 * 2048 px on their longer side (plenty on a projector; a photo of a flipchart is then well under 1 MB), and files
 * over 1.5 MiB are refused by tldraw with its own notice: base64 makes 1.5 MiB about 2 MB, half of the board's
 * MAX_BOARD_BYTES (4 MiB), under the frame limit with room for the rest of the update.
 */
export const MAX_IMAGE_DIMENSION = 2048
export const MAX_ASSET_BYTES = 1.5 * 1024 * 1024
