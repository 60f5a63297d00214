"""The workbench in a real browser: headless Chromium (Debian's package) driven by Selenium.

A writer's path: open the page, drop the draft (four problems, three measures, ``**`` left in
the text and in a table cell) as .docx, see the leftovers highlighted in place and the missing
measure for （四） in the outline, read a rule's explanation, walk the findings with the
keyboard, download the annotated copy and open it (python-docx: the comments are there).

Skipped where Chromium or its driver is not installed -- except in CI (``CI`` set), where
``.ci/run`` installs them and a skip would hide a broken page.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("selenium")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.slow  # a real browser and a real server: seconds

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
DRIVER = shutil.which("chromedriver")


def chrome(download_dir: Path):
    if not (CHROMIUM and DRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are not installed (.ci/run installs them)")
        pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900",
                "--lang=zh-CN", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    driver = chrome(downloads)
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait(driver, what, timeout=60):
    return WebDriverWait(driver, timeout).until(what)


def test_writer_checks_a_draft_and_downloads_the_annotated_copy(server, browser, draft_docx):
    import docx

    d = browser
    d.get(server.url + "/")
    assert "公文检查工作台" in d.title
    d.find_element(By.ID, "file").send_keys(str(draft_docx))  # the picker; the drop zone is tested below
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#doc mark.f"))

    # the leftovers, highlighted on the exact text, in a paragraph and in a table cell
    marks = d.find_elements(By.CSS_SELECTOR, "#doc mark.f")
    assert "**" in [m.text for m in marks]
    assert [m.text for m in d.find_elements(By.CSS_SELECTOR, "#doc table td mark.f")] == ["**"]
    assert "sev-warning" in marks[0].get_attribute("class")
    assert "需要修改" in d.find_element(By.ID, "summary").text

    # the outline: genre, the sections, four problems, and （四） without a measure
    outline = d.find_element(By.ID, "outline")
    assert "文种：政治生态报告" in outline.text and "三、存在的问题" in outline.text
    pairs = outline.find_elements(By.CSS_SELECTOR, ".pairs li")
    assert len(pairs) == 4
    missing = outline.find_elements(By.CSS_SELECTOR, ".pairs li.missing")
    assert len(missing) == 1 and missing[0].text.startswith("（四）") and "缺少对应的整改措施" in missing[0].text

    # a highlight opens its finding; the rule's explanation is one click away
    cell_mark = d.find_element(By.CSS_SELECTOR, "#doc table td mark.f")
    cell_mark.click()
    opened = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#findings li.open"))
    assert "H301" in opened.text and "占位符" in opened.text
    opened.find_element(By.CSS_SELECTOR, "button.link").click()
    explain = wait(d, lambda d: opened.find_element(By.CSS_SELECTOR, ".explain"))
    wait(d, lambda d: "检查什么" in explain.text)
    assert "反例" in explain.text and "正例" in explain.text

    # the keyboard: n / p walk the findings
    body = d.find_element(By.TAG_NAME, "body")
    d.execute_script("document.activeElement.blur()")
    body.send_keys("n")
    before = d.find_element(By.CSS_SELECTOR, "#findings li.open").get_attribute("id")
    body.send_keys("n")
    after = d.find_element(By.CSS_SELECTOR, "#findings li.open").get_attribute("id")
    assert before != after

    # filters: switching off the H family hides its highlights
    chip = [c for c in d.find_elements(By.CSS_SELECTOR, "#filter-fam label") if "占位符" in c.text][0]
    chip.find_element(By.TAG_NAME, "input").send_keys(Keys.SPACE)
    wait(d, lambda d: "**" not in [m.text for m in d.find_elements(By.CSS_SELECTOR, "#doc mark.f")])
    chip.find_element(By.TAG_NAME, "input").send_keys(Keys.SPACE)
    wait(d, lambda d: "**" in [m.text for m in d.find_elements(By.CSS_SELECTOR, "#doc mark.f")])

    # the annotated copy, named after the original, with a comment per finding
    count = len(d.find_elements(By.CSS_SELECTOR, "#findings li.item"))
    d.find_element(By.ID, "dl-annotate").click()
    target = d.downloads / draft_docx.name.replace(".docx", ".ecocheck.docx")
    deadline = time.monotonic() + 60
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.exists(), os.listdir(d.downloads)
    wait(d, lambda d: "已下载批注版" in d.find_element(By.ID, "status").text)
    comments = [c for c in docx.Document(str(target)).comments if c.author == "ecocheck"]
    assert len(comments) == count
    assert any("H301" in c.text for c in comments) and any("P202" in c.text for c in comments)
    assert d.get_log("browser") == [] or all("favicon" in e["message"] for e in d.get_log("browser"))


def test_a_dropped_file_is_checked(server, browser):
    d = browser
    d.get(server.url + "/")
    # a drop as the browser delivers it: a DataTransfer holding a File
    d.execute_script("""
        const text = "关于2024年度工作情况的报告\\n一、基本情况\\n现有党员**人，其中在职党员XX人。\\n";
        const dt = new DataTransfer();
        dt.items.add(new File([text], "拖入的草稿.txt", {type: "text/plain"}));
        document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
    """)
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#doc mark.f"))
    assert {"**", "XX"} <= {m.text for m in d.find_elements(By.CSS_SELECTOR, "#doc mark.f")}
    assert "拖入的草稿.txt" in d.find_element(By.ID, "summary").text
    # the genre by its Chinese name (from the genre profiles), never its id (work-report)
    assert "文种：工作报告" in d.find_element(By.ID, "summary").text
    assert "文种：工作报告" in d.find_element(By.ID, "outline").text


def test_an_unreadable_file_shows_the_error(server, browser, tmp_path):
    d = browser
    d.get(server.url + "/")
    bad = tmp_path / "旧版.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 legacy word file")
    d.find_element(By.ID, "file").send_keys(str(bad))
    wait(d, lambda d: "E002" in d.find_element(By.ID, "status").text)
    assert "另存为 .docx" in d.find_element(By.ID, "status").text
