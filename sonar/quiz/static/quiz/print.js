// The result page's print and copy buttons: shown only when scripts run, since both need them.
document.querySelectorAll(".quiz-print").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

document.querySelectorAll("[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = document.querySelector("[data-copy-status]");
  if (!field) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const done = () => {
      if (status) status.textContent = button.dataset.copied || "Lien copié.";
    };
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, () => {
        if (document.execCommand("copy")) done();
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });
});
