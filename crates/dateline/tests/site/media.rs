//! The media library: uploads checked by content, resized for `srcset`,
//! and used as lead images.

use crate::get;
use dateline_testkit::{Staff, public_path};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A picture made for the test, encoded as `format`.
pub(crate) fn picture(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// Posts one file as the `file` field of a multipart form.
pub(crate) async fn upload(
    staff: &Staff<'_>,
    name: &str,
    content_type: &str,
    bytes: &[u8],
) -> (StatusCode, HeaderMap, String) {
    let response = upload_request(staff, name, content_type, bytes)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap_or_default())
}

/// The request that posts one file as the `file` field of a multipart
/// form.
fn upload_request(
    staff: &Staff<'_>,
    name: &str,
    content_type: &str,
    bytes: &[u8],
) -> reqwest::RequestBuilder {
    let boundary = "----dateline-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    dateline_testkit::raw_client()
        .post(staff.server.url("/newsroom/media"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("cookie", &staff.cookie)
        .header("origin", &staff.server.base)
        .body(body)
}

#[tokio::test]
async fn an_uploaded_photo_gets_resized_copies_that_the_article_offers_in_srcset() {
    let app = crate::app();
    let editor = app.editor().await;
    let photo = picture(1200, 800, image::ImageFormat::Jpeg);
    let (status, headers, body) =
        upload(&editor, "Harbour at dawn.jpg", "image/jpeg", &photo).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let location = headers["location"].to_str().unwrap();
    let id = location.split("uploaded=").nth(1).unwrap().to_owned();
    let (_, _, library) = editor.get(location).await;
    assert!(library.contains(&format!("Image #{id} uploaded")));
    assert!(library.contains("Harbour at dawn.jpg") && library.contains("1200×800"));
    assert!(library.contains("3 resized copies"));

    let article = editor
        .write_article(
            "Dawn over the harbour",
            "publish",
            &[
                ("lead_media", &id),
                ("lead_alt", "Boats at the quay"),
                ("lead_caption", "The harbour at dawn"),
            ],
        )
        .await;
    let path = public_path(&app, article, "politics").await.unwrap();
    let (_, _, page) = get(&app, &path).await;
    let figure = crate::between(&page, r#"<figure class="lead-image">"#, "</figure>");
    let srcset = crate::between(figure, r#"srcset=""#, "\"");
    let widths: Vec<&str> = srcset
        .split(", ")
        .map(|candidate| candidate.rsplit(' ').next().unwrap())
        .collect();
    assert_eq!(widths, vec!["320w", "640w", "1024w", "1200w"], "{srcset}");
    assert!(figure.contains(r#"alt="Boats at the quay""#));
    // Structured data offers crops in the ratios search engines ask for.
    let ld = crate::between(&page, r#"<script type="application/ld+json">"#, "</script>");
    for crop in ["-16x9.jpg", "-4x3.jpg", "-1x1.jpg"] {
        assert!(ld.contains(crop), "{crop} in {ld}");
    }
    // Every candidate is served, as an image.
    for candidate in srcset.split(", ") {
        let url = candidate.split(' ').next().unwrap();
        let (status, headers, _) = get(&app, url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("image/jpeg")
        );
    }
}

#[tokio::test]
async fn uploads_that_are_not_images_or_too_large_are_refused_with_a_reason() {
    let app = crate::app();
    let reporter = app.reporter().await;
    let (status, _, page) =
        upload(&reporter, "photo.jpg", "image/jpeg", b"%PDF-1.7 a document").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"<p id="file-error" class="nr-error" role="alert">This file is not a JPEG, PNG or WebP image.</p>"#));
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let (status, _, _) = upload(&reporter, "logo.svg", "image/svg+xml", svg).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = upload(&reporter, "empty.png", "image/png", b"").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let huge = vec![0u8; 21 * 1024 * 1024];
    let (status, _, page) = upload(&reporter, "huge.png", "image/png", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.contains("The file is too large"));
    // A small PNG is fine for a reporter, and needs no resized copies.
    let small = picture(200, 100, image::ImageFormat::Png);
    let (status, _, _) = upload(&reporter, "chart.png", "image/png", &small).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let moderator = app.moderator().await;
    let (status, _, _) = upload(&moderator, "chart.png", "image/png", &small).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_photo_is_served_without_where_it_was_taken_or_by_which_camera() {
    let app = crate::app();
    let editor = app.editor().await;
    let plain = picture(800, 600, image::ImageFormat::Jpeg);
    // An EXIF block as a phone writes one, naming a place and a camera.
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"GPSLatitude 33.8938N GPSLongitude 35.5018E BodySerialNumber 7731");
    let mut photo = plain[..2].to_vec();
    photo.extend_from_slice(&[0xFF, 0xE1]);
    photo.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    photo.extend_from_slice(&exif);
    photo.extend_from_slice(&plain[2..]);
    let (status, headers, body) = upload(&editor, "source.jpg", "image/jpeg", &photo).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let id = headers["location"]
        .to_str()
        .unwrap()
        .split("uploaded=")
        .nth(1)
        .unwrap()
        .to_owned();
    let article = editor
        .write_article("A source's picture", "publish", &[("lead_media", &id)])
        .await;
    let path = public_path(&app, article, "politics").await.unwrap();
    let (_, _, page) = get(&app, &path).await;
    let figure = crate::between(&page, r#"<figure class="lead-image">"#, "</figure>");
    let original = crate::between(figure, r#"srcset=""#, "\"")
        .split(", ")
        .find(|candidate| candidate.ends_with(" 800w"))
        .and_then(|candidate| candidate.split(' ').next())
        .unwrap()
        .to_owned();
    let served = dateline_testkit::raw_client()
        .get(app.url(&original))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let has = |needle: &[u8]| served.windows(needle.len()).any(|w| w == needle);
    assert!(
        !has(b"GPSLatitude") && !has(b"BodySerialNumber"),
        "{original}"
    );
    assert!(image::load_from_memory(&served).is_ok(), "still a picture");
}

#[tokio::test]
async fn a_burst_of_picture_bombs_is_processed_a_few_at_a_time_and_the_rest_told_to_retry() {
    let app = crate::caching::app_with(&[("DATELINE_IMAGE_JOBS", "1")]);
    let reporter = app.reporter().await;
    // 7,000 by 7,000 pixels of one colour: a small file that decodes to
    // 147 MB, just under the 50-megapixel limit.
    let bomb = {
        let img = image::RgbImage::from_pixel(7_000, 7_000, image::Rgb([200, 30, 30]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        bytes
    };
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    let before = app.peak_memory_bytes().unwrap();
    let mut uploads = tokio::task::JoinSet::new();
    for n in 0..8 {
        let request = upload_request(&reporter, &format!("bomb-{n}.png"), "image/png", &bomb);
        uploads.spawn(async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            (status, headers, response.text().await.unwrap_or_default())
        });
    }
    let answers = uploads.join_all().await;
    let done = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::SEE_OTHER)
        .count();
    let busy: Vec<_> = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert_eq!(
        done + busy.len(),
        8,
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    assert!(
        (1..=3).contains(&done),
        "one at work and two waiting at most, {done} done"
    );
    for (_, headers, page) in busy {
        assert_eq!(headers["retry-after"], "5");
        assert!(page.contains("Too many images are being processed"));
    }
    let grown = app.peak_memory_bytes().unwrap().saturating_sub(before);
    assert!(
        grown < 1_200 * 1024 * 1024,
        "the server grew by {} MB for one image at a time",
        grown / 1024 / 1024
    );
}
