"""Browser journeys in real headless Chromium against `parindex demo` (issue 8).

Run by scripts/test when Chromium, chromedriver and selenium are installed (CI installs them).
Each journey saves a screenshot under $PARINDEX_SHOTS when it fails.
"""
import os
import re
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("PARINDEX_URL", "http://localhost:8099")
PASSWORD = "parindex-demo"
SHOTS = os.environ.get("PARINDEX_SHOTS", tempfile.gettempdir())


@pytest.fixture
def browser(request):
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,1600", "--lang=vi"]:
        options.add_argument(arg)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    yield driver
    if getattr(request.node, "failed", False):
        driver.save_screenshot(os.path.join(SHOTS, f"journey-{request.node.name}.png"))
    driver.quit()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.failed = True


def wait_for_text(driver, text, timeout=20):
    """A click returns before the next page has loaded; wait for what it should show."""
    WebDriverWait(driver, timeout).until(lambda d: text in d.page_source)


def login(driver, username, password=PASSWORD):
    driver.get(BASE + "/login")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
    WebDriverWait(driver, 20).until(lambda d: "/login" not in d.current_url or "alert" in d.page_source)


def logout(driver):
    driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
    wait_for_text(driver, "Đăng nhập")


def open_campaign(driver, fragment):
    driver.get(BASE + "/campaigns")
    driver.find_element(By.PARTIAL_LINK_TEXT, fragment).click()
    wait_for_text(driver, "Đơn vị được đánh giá")


def test_wrong_password_shows_vietnamese_message(browser):
    login(browser, "baocao.snv", "sai-mat-khau")
    wait_for_text(browser, "Tên đăng nhập hoặc mật khẩu không đúng.")


def test_reporter_scores_in_vietnamese_notation_and_uploads_evidence(browser):
    login(browser, "baocao.snv")
    open_campaign(browser, "năm 2023 của các sở")
    browser.find_element(By.LINK_TEXT, "Sở Nội vụ").click()
    wait_for_text(browser, "Tự đánh giá: Sở Nội vụ")
    # A ratio criterion, typed the Vietnamese way: 1.238 of 2.476 is half.
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "tr[id^='leaf-']")
               if r.find_elements(By.NAME, "numerator"))
    code = row.get_attribute("id")[len("leaf-"):]
    num, den = row.find_element(By.NAME, "numerator"), row.find_element(By.NAME, "denominator")
    num.clear(); num.send_keys("1.238")
    den.clear(); den.send_keys("2.476")
    # The points appear while typing (grid.js asks the server for a preview), before saving.
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, f"points-{code}").get_attribute("title") == "Điểm tạm tính, chưa lưu")
    assert "⚠" not in browser.find_element(By.ID, f"points-{code}").text
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(browser, f"Đã lưu tiêu chí {code}.")
    saved = browser.find_element(By.ID, f"leaf-{code}")
    assert saved.find_element(By.NAME, "numerator").get_attribute("value") == "1.238"
    # Evidence: a small PDF for that criterion.
    pdf = os.path.join(tempfile.gettempdir(), "ke-hoach-cchc.pdf")
    with open(pdf, "wb") as f:
        f.write(b"%PDF-1.4\n% Ke hoach CCHC\n%%EOF\n")
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/evidence']")
    form.find_element(By.NAME, "file").send_keys(pdf)
    form.find_element(By.NAME, "documentNumber").send_keys("54/KH-SNV")
    form.find_element(By.NAME, "documentDate").send_keys("28/04/2023")
    form.find_element(By.NAME, "issuer").send_keys("Sở Nội vụ")
    form.find_element(By.NAME, "title").send_keys("Kế hoạch cải cách hành chính năm 2023")
    form.find_element(By.NAME, "leafCodes").send_keys(code)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(browser, "Đã tải lên tài liệu 54/KH-SNV.")


def test_wrong_document_number_is_explained_beside_the_field(browser):
    login(browser, "baocao.snv")
    open_campaign(browser, "năm 2023 của các sở")
    browser.find_element(By.LINK_TEXT, "Sở Nội vụ").click()
    wait_for_text(browser, "Tự đánh giá: Sở Nội vụ")
    pdf = os.path.join(tempfile.gettempdir(), "x.pdf")
    with open(pdf, "wb") as f:
        f.write(b"%PDF-1.4\n%%EOF\n")
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/evidence']")
    form.find_element(By.NAME, "file").send_keys(pdf)
    form.find_element(By.NAME, "documentNumber").send_keys("KH 54")
    form.find_element(By.NAME, "documentDate").send_keys("28/04/2023")
    form.find_element(By.NAME, "issuer").send_keys("Sở Nội vụ")
    form.find_element(By.NAME, "title").send_keys("Kế hoạch")
    form.find_element(By.NAME, "leafCodes").send_keys("1.1.1")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(browser, "không đúng dạng (ví dụ: 54/KH-UBND")


def test_a_closed_campaign_refuses_edits_and_says_why(browser):
    login(browser, "baocao.snv")
    open_campaign(browser, "năm 2022 của các sở")
    browser.find_element(By.LINK_TEXT, "Sở Nội vụ").click()
    wait_for_text(browser, "Tự đánh giá: Sở Nội vụ")
    page = browser.page_source
    assert "Đã hết hạn tự đánh giá" in page or "đã được gửi và bị khóa" in page or "đã được công bố" in page
    assert not browser.find_elements(By.CSS_SELECTOR, "form.entry")


def test_a_reporter_cannot_open_another_units_page(browser):
    login(browser, "dieuphoi")
    open_campaign(browser, "năm 2023 của các sở")
    other = browser.find_element(By.LINK_TEXT, "Sở Y tế").get_attribute("href")
    logout(browser)
    login(browser, "baocao.snv")
    browser.get(other)
    wait_for_text(browser, "Bạn không có quyền truy cập chức năng hoặc dữ liệu này.")


def test_the_public_page_needs_no_login(browser):
    browser.get(BASE + "/public")
    assert "Kết quả Chỉ số cải cách hành chính đã công bố" in browser.page_source
    assert re.search(r"Đăng nhập", browser.page_source)


def test_survey_operator_keys_a_paper_ballot_with_the_keyboard_only(browser):
    """Issue 6: one ballot per screen, validation while typing, the batch counter in view.
    Runs before the cycle journey, which publishes this campaign (and so freezes its survey)."""
    from selenium.webdriver.common.keys import Keys
    login(browser, "nhapphieu")
    browser.get(BASE + "/surveys")
    browser.find_element(By.PARTIAL_LINK_TEXT, "năm 2023 của các sở").click()
    wait_for_text(browser, "Lô phiếu bàn giao")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Lô số 1").click()
    wait_for_text(browser, "Biên bản bàn giao")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Nhập phiếu").click()
    wait_for_text(browser, "Đã nhập 12/40 phiếu")
    number = browser.find_element(By.ID, "ballot-number")
    number.send_keys("SIPAS-13")
    boxes = browser.find_elements(By.CSS_SELECTOR, "input.answer")
    boxes[0].click()
    # A code that is not an option is caught at once, in Vietnamese, before anything is sent.
    browser.switch_to.active_element.send_keys("7")
    wait_for_text(browser, "Mã phương án không hợp lệ")
    browser.switch_to.active_element.send_keys(Keys.BACKSPACE)
    # Each valid code moves the cursor on by itself: 25 keystrokes, then Enter.
    for i in range(len(boxes)):
        browser.switch_to.active_element.send_keys("4" if i % 3 else "5")
    assert browser.switch_to.active_element.get_attribute("name") == boxes[-1].get_attribute("name")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for_text(browser, "Đã nhập 13/40 phiếu")
    assert "vừa lưu phiếu số SIPAS-13" in browser.page_source
    # The next ballot starts blank, with the cursor in the ballot number.
    assert browser.find_element(By.ID, "ballot-number").get_attribute("value") == ""


def test_the_head_approves_and_the_reporter_submits_then_downloads_the_report(browser):
    """Sở Tư pháp's 2023 self-assessment is complete: its head approves, its reporter submits."""
    login(browser, "thutruong.stp")
    open_campaign(browser, "năm 2023 của các sở")
    browser.find_element(By.LINK_TEXT, "Sở Tư pháp").click()
    wait_for_text(browser, "Tự đánh giá: Sở Tư pháp")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/approve'] button").click()
    wait_for_text(browser, "Thủ trưởng đã duyệt bản tự đánh giá.")
    logout(browser)

    login(browser, "baocao.stp")
    open_campaign(browser, "năm 2023 của các sở")
    browser.find_element(By.LINK_TEXT, "Sở Tư pháp").click()
    wait_for_text(browser, "Tự đánh giá: Sở Tư pháp")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/submit'] button").click()
    wait_for_text(browser, "Đã gửi bản tự đánh giá.")
    # The self-assessment report downloads (fetched in the page, with the session).
    report = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(document.querySelector(\"a[href*='report?format=csv']\").href).then(r => r.text()).then(done);")
    assert "Sở Tư pháp" in report or "1.1" in report


def set_calendar(driver, campaign_url, open_phase):
    """As the coordinator, move the campaign's calendar so that `open_phase` is open today
    and every earlier phase is over (what a coordinator does on the campaign page)."""
    import datetime
    order = ["self_assessment", "appraisal_round1", "explanation", "appraisal_round2", "council_review", "publication"]
    today = datetime.date.today()
    current = order.index(open_phase)
    driver.get(campaign_url)
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/schedule']")
    for i, phase in enumerate(order):
        start = today + datetime.timedelta(days=(i - current) * 3 - 1)
        end = start + datetime.timedelta(days=2)
        for suffix, day in ((".from", start), (".to", end)):
            field = form.find_element(By.NAME, phase + suffix)
            field.clear()
            field.send_keys(day.strftime("%d/%m/%Y"))
    form.find_element(By.NAME, "reason").send_keys("Chuyển giai đoạn theo kế hoạch")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(driver, "Đã cập nhật lịch các giai đoạn.")


def test_appraiser_changes_a_score_with_a_reason_and_the_council_publishes(browser):
    login(browser, "dieuphoi")
    open_campaign(browser, "năm 2023 của các sở")
    campaign_url = browser.current_url
    set_calendar(browser, campaign_url, "appraisal_round1")
    browser.get(campaign_url + "/appraisal")
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/appraisers']")
    form.find_element(By.NAME, "username").send_keys("thamdinh")
    form.find_element(By.NAME, "nodeCode").send_keys("1")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(browser, "Đã phân công thẩm định.")
    logout(browser)

    login(browser, "thamdinh")
    browser.get(campaign_url + "/appraisal?unit=STP")
    wait_for_text(browser, "Thẩm định:")
    # A yes/no criterion, appraised the other way round from the claim, with a reason.
    from selenium.webdriver.support.ui import Select
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "tr[id^='leaf-']")
               if r.find_elements(By.CSS_SELECTOR, "select[name=value]"))
    code = row.get_attribute("id")[len("leaf-"):]
    unit = browser.find_element(By.CSS_SELECTOR, "select[name=unit] option[selected]").text
    row.find_element(By.NAME, "reason").send_keys("Tài liệu kiểm chứng chưa đầy đủ")
    choice = Select(row.find_element(By.CSS_SELECTOR, "select[name=value]"))
    choice.select_by_value("no" if choice.first_selected_option.get_attribute("value") == "yes" else "yes")
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(browser, f"Đã lưu kết quả thẩm định tiêu chí {code} của {unit}.")
    assert "Tài liệu kiểm chứng chưa đầy đủ" in browser.page_source
    logout(browser)

    # The unit sees the round-1 comment and explains in the explanation window.
    login(browser, "dieuphoi")
    set_calendar(browser, campaign_url, "explanation")
    logout(browser)
    login(browser, "baocao.stp")
    open_campaign(browser, "năm 2023 của các sở")
    browser.find_element(By.LINK_TEXT, "Sở Tư pháp").click()
    wait_for_text(browser, "Tự đánh giá: Sở Tư pháp")
    form = browser.find_element(By.CSS_SELECTOR, f"form[action$='/explanations/{code}']")
    form.find_element(By.NAME, "text").send_keys("Đơn vị bổ sung Kế hoạch số 15/KH-STP kèm theo")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(browser, f"Đã gửi giải trình cho tiêu chí {code}.")
    logout(browser)

    login(browser, "dieuphoi")
    set_calendar(browser, campaign_url, "council_review")
    logout(browser)

    login(browser, "hoidong")
    browser.get(campaign_url + "/results")
    wait_for_text(browser, "Kết quả tạm tính, chưa công bố")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/publish'] button").click()
    # Issue #19: nothing goes out before the council has seen what will.
    wait_for_text(browser, "Xác nhận công bố")
    assert "Đã nộp bản tự đánh giá" in browser.page_source
    browser.find_element(By.CSS_SELECTOR, "form[action$='/publish'] input[name=confirmation]")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/publish'] button[type=submit]").click()
    wait_for_text(browser, "Đã công bố kết quả (phiên bản 1).")
    logout(browser)

    # The public sees the ranking without logging in.
    browser.get(BASE + "/public")
    browser.find_element(By.PARTIAL_LINK_TEXT, "năm 2023 của các sở").click()
    wait_for_text(browser, "Công bố phiên bản 1")
    assert "Sở Nội vụ" in browser.page_source
    # …and downloads it.
    ranking = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('?format=csv').then(r => r.text()).then(done);")
    assert ranking.startswith("Hạng") or ranking.lstrip("\ufeff").startswith("Hạng")
    assert "Sở Tư pháp" in ranking
    # …and the annual report of the published year (seed 004's 2022), as a Word document.
    browser.get(BASE + "/public")
    link = browser.find_element(By.CSS_SELECTOR, "a[href$='/public/reports/2022?format=docx']")
    kind = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => done(r.status + ' ' + r.headers.get('content-type')));", link.get_attribute("href"))
    assert kind.startswith("200 application/vnd.openxmlformats-officedocument.wordprocessingml")


def test_periodic_report_shows_seed_003s_errors_and_the_reporter_fixes_a_figure(browser):
    """Issue #14: the coordinator sees seed 003's figures with their errors; the reporter
    types a figure the Vietnamese way, gets a refusal beside the cell for a word, and keeps
    what was typed."""
    login(browser, "dieuphoi")
    browser.get(BASE + "/reports")
    browser.find_element(By.LINK_TEXT, "Báo cáo công tác CCHC định kỳ").click()
    wait_for_text(browser, "Các kỳ báo cáo")
    browser.find_element(By.LINK_TEXT, "Năm 2023").click()
    wait_for_text(browser, "Tình hình nộp báo cáo")
    browser.find_element(By.LINK_TEXT, "Sở Nội vụ").click()
    wait_for_text(browser, "2.363 ≠ 1.146 + 1.123 + 194 = 2.463")
    assert "83,9 %" in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, "td.flagged")
    logout(browser)
    login(browser, "baocao.snv")
    browser.get(BASE + "/")
    wait_for_text(browser, "Báo cáo định kỳ cần làm")
    browser.find_element(By.CSS_SELECTOR, "section.card li a[href^='/reports/submissions/']").click()
    wait_for_text(browser, "Báo cáo của Sở Nội vụ")
    cell = browser.find_element(By.NAME, "v|tthc-ket-qua-giai-quyet|tong/c4")
    cell.clear()
    cell.send_keys("một nghìn")
    browser.find_element(By.XPATH, "//button[text()='Lưu báo cáo']").click()
    wait_for_text(browser, "không phải là số")
    assert browser.find_element(By.NAME, "v|tthc-ket-qua-giai-quyet|tong/c4").get_attribute("value") == "một nghìn"
    cell = browser.find_element(By.NAME, "v|tthc-ket-qua-giai-quyet|tong/c4")
    cell.clear()
    cell.send_keys("1.146")
    browser.find_element(By.XPATH, "//button[text()='Lưu báo cáo']").click()
    wait_for_text(browser, "Đã lưu báo cáo.")
    assert browser.find_element(By.NAME, "v|tthc-ket-qua-giai-quyet|tong/c4").get_attribute("value") == "1.146"


def test_periodic_report_checks_figures_while_typing_and_saves_nothing(browser):
    """Issue #14 item 3: the grid validates live — a total that no longer adds up is flagged
    beside its cells as it is typed, with the count of serious errors; nothing is saved until
    the reporter saves."""
    login(browser, "baocao.snv")
    browser.get(BASE + "/")
    wait_for_text(browser, "Báo cáo định kỳ cần làm")
    browser.find_element(By.CSS_SELECTOR, "section.card li a[href^='/reports/submissions/']").click()
    wait_for_text(browser, "Báo cáo của Sở Nội vụ")
    page = browser.current_url
    def box(column):
        return browser.find_element(By.NAME, f"v|tthc-ket-qua-giai-quyet|tong/{column}")
    before = {c: box(c).get_attribute("value") for c in ["c3", "c4", "c5", "c6"]}
    # 1.000 received, but 500 online + 300 in person + 100 carried over is 900.
    for column, value in [("c3", "1.000"), ("c4", "500"), ("c5", "300"), ("c6", "100")]:
        box(column).clear()
        box(column).send_keys(value)
    WebDriverWait(browser, 20).until(
        lambda d: re.search(r"\d+ lỗi nghiêm trọng", d.find_element(By.ID, "report-summary").text)
        and "chưa lưu" in d.find_element(By.ID, "report-summary").text)
    assert "1.000 ≠ 500 + 300 + 100 = 900" in browser.page_source
    flagged = browser.find_elements(By.CSS_SELECTOR, "td.flagged[data-cell='tthc-ket-qua-giai-quyet|tong/c4']")
    assert flagged, "the typed cell is not flagged"
    assert "Tổng số hồ sơ nhận giải quyết (3) phải bằng" in browser.page_source
    # A word is named as it is typed, before any save.
    box("c4").clear()
    box("c4").send_keys("nhiều")
    WebDriverWait(browser, 20).until(lambda d: "không phải là số" in d.find_element(By.ID, "report-summary").text)
    browser.get(page)
    wait_for_text(browser, "Báo cáo của Sở Nội vụ")
    assert {c: box(c).get_attribute("value") for c in before} == before
    assert "chưa lưu" not in browser.find_element(By.ID, "report-summary").text


def test_periodic_report_pages_fit_a_390_px_phone(browser):
    """Issue #14's pages on a phone: nothing wider than the screen but the tables, which scroll."""
    browser.set_window_size(390, 844)
    login(browser, "dieuphoi")
    browser.get(BASE + "/reports")
    browser.find_element(By.LINK_TEXT, "Báo cáo công tác CCHC định kỳ").click()
    wait_for_text(browser, "Các kỳ báo cáo")
    pages = [browser.current_url]
    browser.find_element(By.LINK_TEXT, "Năm 2023").click()
    wait_for_text(browser, "Tình hình nộp báo cáo")
    pages.append(browser.current_url)
    browser.find_element(By.LINK_TEXT, "Sở Nội vụ").click()
    wait_for_text(browser, "Báo cáo của Sở Nội vụ")
    pages.append(browser.current_url)
    for url in pages + [BASE + "/reports"]:
        browser.get(url)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide"
