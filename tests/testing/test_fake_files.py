"""Uploads (multipart ``file``) and streamed downloads."""

from __future__ import annotations

import httpx
import pytest

from simotel_async.testing import FakeSimotel
from tests.testing.support import Api

CHUNK = 64 * 1024


async def test_fax_upload_add_download_round_trip(
    api: Api, fake: FakeSimotel, client: httpx.AsyncClient
) -> None:
    document = b"%PDF-1.4\n" + bytes(range(256)) * 10
    uploaded = await client.post(
        "pbx/faxes/upload", files={"file": ("invoice 5128.pdf", document, "application/pdf")}
    )
    assert uploaded.status_code == 200
    body = uploaded.json()
    assert body["success"] == 1
    assert body["message"] == "1 file(s) uploaded successfully"
    name = body["data"]["filename"]
    assert name.startswith("sen_file-")
    assert name.endswith("invoice5128pdf_.tiff")
    assert fake.files[name].content() == document

    added = await api(
        "pbx/faxes/add", {"to": "112233", "ext": "558", "trunk_name": "Cisco", "file": name}
    )
    downloaded = await client.post("pbx/faxes/download", json={"_id": added["data"]["_id"]})
    assert downloaded.status_code == 200
    assert downloaded.content == document
    assert downloaded.headers["content-type"] == "image/tiff"
    assert downloaded.headers["content-length"] == str(len(document))


@pytest.mark.parametrize(
    ("path", "original", "message", "suffix"),
    [
        (
            "pbx/announcements/upload",
            "announce.mp3",
            "1 file(s) uploaded successfully",
            "announcemp3_.wav",
        ),
        ("autodialer/announcements/upload", "hello.mp3", "", "hellomp3_.wav"),
        ("autodialer/groups/upload", "book1.csv", "", "book1csv.csv"),
    ],
)
async def test_upload_names_and_messages(
    client: httpx.AsyncClient, path: str, original: str, message: str, suffix: str
) -> None:
    response = await client.post(path, files={"file": (original, b"data")})
    body = response.json()
    assert body["success"] == 1
    assert body["message"] == message
    assert body["data"]["filename"].startswith("file-20240501")
    assert body["data"]["filename"].endswith(suffix)


async def test_upload_without_a_file_field_fails(client: httpx.AsyncClient) -> None:
    response = await client.post("pbx/announcements/upload", files={"other": ("a.wav", b"x")})
    assert response.json() == {
        "success": 0,
        "message": "Field 'file':value is missing",
        "data": None,
    }


async def test_group_from_uploaded_csv_counts_its_numbers(
    api: Api, client: httpx.AsyncClient
) -> None:
    csv = b"number,name\n09120000001,a\n09120000002,b\n\n09120000003,c\n"
    uploaded = await client.post("autodialer/groups/upload", files={"file": ("book1.csv", csv)})
    filename = uploaded.json()["data"]["filename"]
    added = await api("autodialer/groups/add", {"name": "from csv", "filename": filename})
    assert added["success"] == 1
    found = await api(
        "autodialer/groups/search", {"alike": "false", "conditions": {"name": "from csv"}}
    )
    assert found["data"]["data"][0]["count"] == 3
    missing = await api("autodialer/groups/add", {"name": "x", "filename": "nope.csv"})
    assert missing["success"] == 0


async def test_recordings_of_generated_calls_can_be_downloaded(
    fake: FakeSimotel, client: httpx.AsyncClient
) -> None:
    cdr = next(r for r in fake.records("reports.cdr") if "record" in r)
    response = await client.post("reports/audio/download", json={"file": cdr["record"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/mpeg"
    assert (
        len(response.content)
        == fake.files[cdr["record"]].size
        == int(response.headers["content-length"])
    )
    assert response.content == fake.files[cdr["record"]].content()


async def test_voicemail_files_download_through_the_audio_endpoint(
    fake: FakeSimotel, client: httpx.AsyncClient
) -> None:
    message = next(m for m in fake.records("voicemails.inbox") if "filename" in m)
    response = await client.post("reports/audio/download", json={"file": message["filename"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert fake.requests[-1].endpoint_id == "reports.audio.download"
    async with httpx.AsyncClient(transport=fake.transport(), auth=("api", "secret")) as v3:
        old = await v3.request(
            "GET", "http://pbx/api/v3/voicemails/audio/download", json={"file": message["filename"]}
        )
    assert old.content == response.content
    assert fake.requests[-1].endpoint_id == "voicemails.inbox.download"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("reports/audio/download", {"file": "20200921_1600675211.10033.1.mp3"}),
        ("pbx/faxes/download", {"_id": "5fe7b083b6e91a5ef2bbf7bb"}),
    ],
)
async def test_missing_download_is_a_bare_404(
    client: httpx.AsyncClient, path: str, body: dict[str, str]
) -> None:
    response = await client.post(path, json=body)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


async def test_download_without_a_name_fails(api: Api) -> None:
    assert (await api("reports/audio/download", {}))["message"] == "Field 'file':value is missing"


async def test_large_files_stream_in_chunks(fake: FakeSimotel, client: httpx.AsyncClient) -> None:
    size = 50 * 1024 * 1024 + 123
    stored = fake.add_file("big.wav", size)
    assert stored.size == size
    chunks = []
    async with client.stream(
        "POST", "reports/audio/download", json={"file": "big.wav"}
    ) as response:
        assert response.headers["content-length"] == str(size)
        async for chunk in response.aiter_raw():
            chunks.append(len(chunk))
    assert sum(chunks) == size
    assert max(chunks) == CHUNK
    assert len(chunks) == size // CHUNK + 1


def test_filler_is_deterministic_per_name(fake: FakeSimotel) -> None:
    a = fake.add_file("a.mp3", 100_000).content()
    assert a == FakeSimotel(cdr=0).add_file("a.mp3", 100_000).content()
    assert a != fake.add_file("b.mp3", 100_000).content()
    with pytest.raises(ValueError):
        fake.add_file("c.mp3", -1)
