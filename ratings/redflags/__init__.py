"""Red flags (issue 15 §1): the indicators (`indicators`), their fences (`fences`), what a
regulator reads (`selectors`) and how each flag is told in words (`explain`)."""
