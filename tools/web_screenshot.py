"""Take the screenshot of the workbench kept in docs/ (docs/workbench.png).

    python tools/web_screenshot.py [OUT.png] [--width 1440 --height 900]

Builds the workbench test draft (tests/web/draft_four_three.yaml) as .docx, starts
``ecocheck serve`` on 127.0.0.1, loads the draft in headless Chromium (Debian's
``chromium`` and ``chromium-driver``; a CJK font such as ``fonts-wqy-microhei`` or
``fonts-noto-cjk`` for the Chinese text) and saves the page.  Needs ``pip install ".[test]"``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "workbench.png"))
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()

    from make_docx import build_docx
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as tmp:
        spec = yaml.safe_load((ROOT / "tests" / "web" / "draft_four_three.yaml").read_text(encoding="utf-8"))
        draft = Path(tmp) / "政治生态情况报告（初稿）.docx"
        build_docx(spec["paragraphs"], draft, font_east_asia="仿宋_GB2312", size_pt=16)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "ecocheck", "serve", "--no-browser", "--port", str(port)],
                                  cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/info", timeout=2) as r:
                        json.load(r)
                    break
                except OSError:
                    time.sleep(0.2)
            opts = webdriver.ChromeOptions()
            opts.binary_location = "/usr/bin/chromium"
            for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars",
                        f"--window-size={args.width},{args.height}", "--lang=zh-CN", "--force-device-scale-factor=1"):
                opts.add_argument(arg)
            driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
            try:
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                    "width": args.width, "height": args.height, "deviceScaleFactor": 1, "mobile": False})
                driver.get(f"http://127.0.0.1:{port}/")
                driver.find_element(By.ID, "file").send_keys(str(draft))
                WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#doc mark.f"))
                time.sleep(1)
                driver.save_screenshot(args.out)
            finally:
                driver.quit()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(args.out)


if __name__ == "__main__":
    main()
