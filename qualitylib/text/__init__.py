"""Text layer: raw bytes -> decoded text -> cleaned Simplified body, sections and sentences, with an
offset map from every cleaned character back to the raw file. Lowest layer above paths/resources."""
