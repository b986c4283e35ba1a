"""intake: everything that comes in — submissions, deadlines, incoming documents."""
