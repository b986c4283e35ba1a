"""archive: everything kept — signed files under retention, dossiers, fixity audits."""
