"""Reading: text, pages, .story files, HTML and corpora into Stories, and their sentences."""
