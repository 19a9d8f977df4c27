// Search as you type (bankcore.widgets.LookupInput): the suggestions htmx put under an input
// are buttons carrying data-lookup-value; picking one fills the input and closes the list.
(function () {
  "use strict";

  function listFor(input) {
    return document.querySelector('[data-lookup-for="' + input.id + '"]');
  }

  function close(list) {
    if (list) list.replaceChildren();
  }

  function pick(choice) {
    const list = choice.closest("[data-lookup-for]");
    const input = document.getElementById(list.dataset.lookupFor);
    input.value = choice.dataset.lookupValue;
    close(list);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  }

  document.addEventListener("click", function (event) {
    const choice = event.target.closest("[data-lookup-value]");
    if (choice) {
      pick(choice);
      return;
    }
    // A click elsewhere closes every open list.
    document.querySelectorAll("[data-lookup-for]").forEach(function (list) {
      if (!list.contains(event.target)) close(list);
    });
  });

  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (target.matches && target.matches("[data-lookup-input]")) {
      const list = listFor(target);
      if (event.key === "ArrowDown" && list) {
        const first = list.querySelector("[data-lookup-value]");
        if (first) {
          event.preventDefault();
          first.focus();
        }
      } else if (event.key === "Escape") {
        close(list);
      }
      return;
    }
    const choice = target.closest && target.closest("[data-lookup-value]");
    if (!choice) return;
    const choices = Array.from(
      choice.closest("[data-lookup-for]").querySelectorAll("[data-lookup-value]")
    );
    const at = choices.indexOf(choice);
    if (event.key === "ArrowDown" && at < choices.length - 1) {
      event.preventDefault();
      choices[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at > 0) choices[at - 1].focus();
      else document.getElementById(choice.closest("[data-lookup-for]").dataset.lookupFor).focus();
    } else if (event.key === "Escape") {
      const input = document.getElementById(choice.closest("[data-lookup-for]").dataset.lookupFor);
      close(choice.closest("[data-lookup-for]"));
      input.focus();
    }
  });
})();
