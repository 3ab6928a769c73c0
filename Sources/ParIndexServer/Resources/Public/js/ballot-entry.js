// Keyed ballot entry: each answer box accepts only its question's option codes, shows the
// problem at once, and moves on to the next box when a valid code is typed, so a paper
// ballot is keyed without the mouse. Enter saves the ballot. The server validates again.
(function () {
  const boxes = Array.from(document.querySelectorAll('input.answer'));
  const error = document.getElementById('entry-error');
  if (!boxes.length) return;
  const allowed = (box) => (box.dataset.allowed || '').split(',').filter(Boolean);
  const longest = (box) => Math.max(...allowed(box).map((c) => c.length), 1);

  function check(box) {
    const v = box.value.trim();
    const ok = v === '' || allowed(box).includes(v);
    box.setAttribute('aria-invalid', ok ? 'false' : 'true');
    box.classList.toggle('invalid', !ok);
    return ok;
  }

  function report() {
    const bad = boxes.filter((b) => !check(b));
    if (error) {
      error.textContent = bad.length
        ? 'Mã phương án không hợp lệ ở ' + bad.length + ' ô (' + bad[0].getAttribute('aria-label') + ': chỉ nhận ' + allowed(bad[0]).join(', ') + ').'
        : '';
    }
    return bad.length === 0;
  }

  boxes.forEach((box, i) => {
    box.addEventListener('input', () => {
      const ok = check(box);
      report();
      if (ok && box.value.trim().length >= longest(box) && i + 1 < boxes.length) {
        boxes[i + 1].focus();
        boxes[i + 1].select();
      }
    });
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Backspace' && box.value === '' && i > 0) { boxes[i - 1].focus(); e.preventDefault(); }
    });
  });

  const form = boxes[0].form;
  form.addEventListener('submit', (e) => { if (!report()) { e.preventDefault(); } });
  // After a saved ballot the number box is empty again: start there.
  const number = document.getElementById('ballot-number');
  if (number && number.value === '') number.focus();
})();
