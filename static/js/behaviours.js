// Behaviours declared in the markup instead of inline event handlers, which the
// Content-Security-Policy does not run:
//   <select data-autosubmit>          submits its form when changed (requestSubmit: validation
//                                     and htmx run); data-autosubmit="submit" submits directly.
//   <form data-confirm="Question?">   asks before submitting.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (!field || !field.form) return;
  if (field.dataset.autosubmit === "submit") field.form.submit();
  else field.form.requestSubmit();
});
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
