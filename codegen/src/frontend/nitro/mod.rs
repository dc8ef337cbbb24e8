//! NITRO reference pages (Markdown with embedded HTML tables) -> IR.
