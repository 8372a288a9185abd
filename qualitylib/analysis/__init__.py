"""Analysis layer: pure functions over DataFrames -- the indicator table, comparability and national
matching, policy themes, TF-IDF, clustering, and evaluation against the hand annotation."""
