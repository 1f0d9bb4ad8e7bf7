/**
 * Shapes per page. tldraw's default is 4000; we choose 3000 on purpose: measured here, 2,000 notes take ~3 s to
 * become interactive and pan at ~21 ms/frame on a modest machine, 5,000 at ~84 ms/frame. A workshop board with
 * thousands of items is already unreadable; 3000 leaves room for large maps while staying usable on the
 * municipal laptops and projectors we target. BoardFullNotice tells the person when a page is full.
 */
export const MAX_SHAPES_PER_PAGE = 3000
