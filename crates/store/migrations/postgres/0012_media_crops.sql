-- Crops of an image in the ratios search engines ask for (16x9, 4x3,
-- 1x1), as lines of "<ratio> <width> <height> <path>".
ALTER TABLE media ADD COLUMN crops TEXT NOT NULL DEFAULT '';
