// The sample-size helper of the survey plan: n = N / (1 + N·e²), rounded up (REFERENCES.md).
(function () {
  const n = document.getElementById('ss-n');
  const e = document.getElementById('ss-e');
  const out = document.getElementById('ss-out');
  if (!n || !e || !out) return;
  const parse = (s) => Number(String(s).trim().replace(/\./g, '').replace(',', '.'));
  function update() {
    const N = parse(n.value);
    const margin = parse(e.value) / 100;
    if (!(N >= 0) || !(margin > 0 && margin < 1) || n.value.trim() === '') { out.textContent = ''; return; }
    const sample = Math.ceil(N / (1 + N * margin * margin));
    out.textContent = '→ cần ' + sample.toLocaleString('vi-VN') + ' phiếu';
  }
  n.addEventListener('input', update);
  e.addEventListener('input', update);
})();
