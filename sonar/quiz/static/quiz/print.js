// The result page's print button: shown only when scripts run, since printing needs them.
document.querySelectorAll(".quiz-print").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
