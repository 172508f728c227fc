"""Letters, action plans and the dossier: templates, what they see, and the documents
(Markdown, HTML, Word) made from them."""
