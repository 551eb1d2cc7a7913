-- Resonans schema, version 8 (SQLite): each user's language for the web
-- app (docs/access.md): 'sv', 'en', or NULL to follow the browser.
ALTER TABLE users ADD COLUMN lang TEXT CHECK (lang IN ('sv', 'en'));
