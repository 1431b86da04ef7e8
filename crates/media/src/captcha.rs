//! The security code as a picture: dot-matrix glyphs drawn large, each
//! shifted and sheared a little, over noise dots and crossing lines, so
//! the text is not in the file for a script to read.

use image::{ImageFormat, Rgb, RgbImage};
use std::io::Cursor;

const WIDTH: u32 = 200;
const HEIGHT: u32 = 64;
/// Pixels per glyph dot.
const DOT: i32 = 5;

/// 5×7 glyphs of the code alphabet, one row per byte (bit 4 is the left).
fn glyph(c: char) -> [u8; 7] {
    match c {
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        _ => [0; 7],
    }
}

/// A small deterministic generator fed by the caller's random bytes.
struct Jitter(u64);

impl Jitter {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> i32 {
        i32::try_from(self.next() % n.max(1)).unwrap_or(0)
    }
}

fn put(img: &mut RgbImage, x: i32, y: i32, color: Rgb<u8>) {
    if let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y))
        && x < WIDTH
        && y < HEIGHT
    {
        img.put_pixel(x, y, color);
    }
}

/// Draws `code` as a PNG. `seed` (random bytes) varies the noise and the
/// placement, so two pictures of one code differ.
pub fn captcha_png(code: &str, seed: u64) -> Result<Vec<u8>, image::ImageError> {
    let mut rng = Jitter(seed | 1);
    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb([246, 244, 238]));
    // Background speckles.
    for _ in 0..500 {
        let shade = 150 + u8::try_from(rng.below(80)).unwrap_or(0);
        let (x, y) = (rng.below(WIDTH.into()), rng.below(HEIGHT.into()));
        put(&mut img, x, y, Rgb([shade, shade, shade]));
    }
    let step = (WIDTH as i32 - 16) / code.chars().count().max(1) as i32;
    for (i, c) in code.chars().enumerate() {
        let color = Rgb([
            20 + u8::try_from(rng.below(80)).unwrap_or(0),
            20 + u8::try_from(rng.below(60)).unwrap_or(0),
            60 + u8::try_from(rng.below(90)).unwrap_or(0),
        ]);
        let left = 10 + step * i as i32 + rng.below(8) - 4;
        let top = 10 + rng.below(14) - 4;
        // A slight shear: each row shifts a little more.
        let shear = rng.below(3) - 1;
        for (row, bits) in glyph(c).iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) == 0 {
                    continue;
                }
                let x0 = left + col * DOT + shear * row as i32;
                let y0 = top + row as i32 * (DOT + 1);
                for dy in 0..DOT {
                    for dx in 0..DOT - 1 {
                        put(&mut img, x0 + dx, y0 + dy, color);
                    }
                }
            }
        }
    }
    // Lines across the text.
    for _ in 0..4 {
        let (mut x, mut y) = (0i32, rng.below(HEIGHT.into()));
        let slope = rng.below(5) - 2;
        let color = Rgb([90, 90, 110]);
        while x < WIDTH as i32 {
            put(&mut img, x, y, color);
            put(&mut img, x, y + 1, color);
            x += 1;
            if x % 12 == 0 {
                y += slope;
            }
        }
    }
    let mut bytes = Vec::new();
    img.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_becomes_a_png_without_its_text_inside() {
        let png = captcha_png("AC3XY", 42).unwrap();
        let decoded = image::load_from_memory(&png).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (WIDTH, HEIGHT));
        assert!(!png.windows(5).any(|w| w == b"AC3XY"));
        assert!(
            png != captcha_png("AC3XY", 1000).unwrap(),
            "the seed varies the picture"
        );
    }
}
