ALTER TABLE alpha.things ADD COLUMN label text;
