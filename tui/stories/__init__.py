"""Stories: the same news from several outlets recognised as one.

`features` (what an article's text says: candidate keys and the sketch two candidates are
judged by) and `matching` (the decision) are pure; `grouping` runs the detection pass over a
refresh's or an import's new articles through the store's door.
"""
