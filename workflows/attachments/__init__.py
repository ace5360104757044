"""Attachments, for every process: the model (workflows.models.Attachment),
the form fields that check a file's size and content before anything is
written (`fields`), files held across a form that came back with errors
(`held`), saving them with a case (`services`), and the one download view
(`views`), whose per-case access is the process's own selector."""
