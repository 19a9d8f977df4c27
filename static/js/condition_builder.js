// Condition builder: a trigger rule's condition edited as rows (field, comparison, value)
// grouped with "all of" / "any of", nested. Progressive enhancement of the form's JSON
// textarea (<textarea data-condition-builder="<id of the json_script config>">): the builder
// only writes the JSON into the textarea and fires its "input" event, so the server's preview
// (the "reads as" text, or where the condition is wrong), validation and saving stay the one
// path. Without JavaScript the textarea is the editor, as before.
//
// The model is the JSON tree itself, with two liberties that make JSON → builder → JSON exact:
// a {"not": X} is a flag on X, and a condition that is one bare comparison shows as a group
// "all of" with one row and is written back bare. A value the user has not touched is written
// back as it was read (whatever its form); a JSON the builder cannot show exactly (invalid
// JSON, unknown keys, a double "not") is left to the JSON view.
(function () {
  "use strict";

  const LIST_OPS = ["in", "not_in"];

  // --- Pure model (no DOM; also run under Node by the unit tests) ---------------------------

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function nodeFromJSON(raw) {
    if (!isObject(raw)) return null;
    const keys = Object.keys(raw);
    if (keys.length === 1 && keys[0] === "not") {
      const inner = nodeFromJSON(raw.not);
      if (!inner || inner.negated) return null;
      inner.negated = true;
      return inner;
    }
    if (keys.length === 1 && (keys[0] === "all" || keys[0] === "any")) {
      const items = raw[keys[0]];
      if (!Array.isArray(items)) return null;
      const children = [];
      for (const item of items) {
        const child = nodeFromJSON(item);
        if (!child) return null;
        children.push(child);
      }
      return { type: "group", mode: keys[0], children: children, negated: false };
    }
    if (typeof raw.field !== "string" || typeof raw.op !== "string") return null;
    if (keys.some((key) => key !== "field" && key !== "op" && key !== "value")) return null;
    const leaf = { type: "leaf", field: raw.field, op: raw.op, negated: false };
    if ("value" in raw) leaf.value = raw.value;
    return leaf;
  }

  // The builder's tree for a condition (parsed JSON; undefined/null for an empty textarea),
  // or null when the builder cannot show it exactly.
  function treeFromJSON(raw) {
    if (raw === undefined || raw === null) {
      return { type: "group", mode: "all", children: [], negated: false, explicit: false };
    }
    const node = nodeFromJSON(raw);
    if (!node) return null;
    if (node.type === "group") {
      node.explicit = true;
      return node;
    }
    return { type: "group", mode: "all", children: [node], negated: false, explicit: false };
  }

  function nodeToJSON(node) {
    let out;
    if (node.type === "group") {
      out = {};
      out[node.mode] = node.children.map(nodeToJSON);
    } else {
      out = { field: node.field, op: node.op };
      if ("value" in node) out.value = node.value;
    }
    return node.negated ? { not: out } : out;
  }

  function treeToJSON(root) {
    if (!root.explicit && !root.negated && root.mode === "all" && root.children.length === 1) {
      return nodeToJSON(root.children[0]);
    }
    return nodeToJSON(root);
  }

  // The text the textarea holds: indented like the server writes it (json.dumps, indent 2).
  function formatJSON(value) {
    return JSON.stringify(value, null, 2);
  }

  function nodeAt(root, path) {
    let node = root;
    for (const index of path) node = node.children[index];
    return node;
  }

  function defaultValue(kind, op, choices) {
    if (op === "is_set") return undefined;
    const first = choices && choices.length ? choices[0][0] : "";
    if (LIST_OPS.includes(op)) return kind === "string" && first ? [first] : [];
    if (kind === "money") return "0.00 CNY";
    if (kind === "boolean") return true;
    if (kind === "integer") return 0;
    if (kind === "decimal") return "0";
    if (kind === "string") return op === "starts_with" ? "" : first;
    return "";
  }

  function setValue(leaf, value) {
    if (value === undefined) delete leaf.value;
    else leaf.value = value;
  }

  // A new field: keep the comparison and value when they still fit its kind (and its
  // catalogue, when its values come from one).
  function leafSetField(leaf, field, kind, operators, choices) {
    const codes = choices && choices.length ? choices.map((pair) => pair[0]) : null;
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    const fits =
      leaf.kind === kind && (!codes || !("value" in leaf) || values.every((v) => codes.includes(v)));
    leaf.field = field;
    leaf.kind = kind;
    if (!operators.includes(leaf.op)) leaf.op = operators[0];
    if (!fits) setValue(leaf, defaultValue(kind, leaf.op, choices));
  }

  // A new comparison: a value carried over when it still fits (one value into a list, the
  // first of a list into one value).
  function leafSetOp(leaf, op, kind, choices) {
    const wasList = LIST_OPS.includes(leaf.op);
    const isList = LIST_OPS.includes(op);
    const had = "value" in leaf;
    leaf.op = op;
    if (op === "is_set") setValue(leaf, undefined);
    else if (!had) setValue(leaf, defaultValue(kind, op, choices));
    else if (isList && !wasList) setValue(leaf, leaf.value === "" ? [] : [leaf.value]);
    else if (!isList && wasList) {
      setValue(leaf, leaf.value.length ? leaf.value[0] : defaultValue(kind, op, choices));
    }
  }

  const MONEY_TEXT = /^\s*(\S*)\s+([A-Za-z]{3})\s*$/;

  // What the value widgets of a row show for its value.
  function inputsFromValue(kind, op, value) {
    if (LIST_OPS.includes(op)) {
      const items = Array.isArray(value) ? value : [];
      return { text: items.map(String).join(", "), checked: items.map(String) };
    }
    if (kind === "money") {
      if (isObject(value)) {
        return { amount: String(value.amount ?? ""), currency: String(value.currency ?? "") };
      }
      const match = typeof value === "string" ? value.match(MONEY_TEXT) : null;
      if (match) return { amount: match[1], currency: match[2] };
      return { amount: value === undefined ? "" : String(value), currency: "CNY" };
    }
    if (kind === "boolean") return { text: value === false ? "false" : "true" };
    return { text: value === undefined || value === null ? "" : String(value) };
  }

  function typed(kind, text) {
    const trimmed = text.trim();
    if (kind === "integer" && /^-?[0-9]+$/.test(trimmed)) return parseInt(trimmed, 10);
    return trimmed;
  }

  // The value the widgets say (what the user chose or typed), in the JSON form the server
  // reads: money "30000.00 CNY" (or the object form when the row had it), integers as numbers,
  // decimals as strings, booleans, dates "YYYY-MM-DD", lists for in / not_in.
  function valueFromInputs(kind, op, inputs, previous) {
    if (op === "is_set") return undefined;
    if (LIST_OPS.includes(op)) {
      if (inputs.checked) return inputs.checked.slice();
      return (inputs.text || "")
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "")
        .map((item) => typed(kind, item));
    }
    if (kind === "money") {
      const amount = (inputs.amount || "").trim();
      const currency = (inputs.currency || "").trim();
      if (isObject(previous)) return { amount: amount, currency: currency };
      return amount ? amount + " " + currency : "";
    }
    if (kind === "boolean") return inputs.text === "true";
    return typed(kind, inputs.text || "");
  }

  const model = {
    treeFromJSON: treeFromJSON,
    treeToJSON: treeToJSON,
    formatJSON: formatJSON,
    nodeAt: nodeAt,
    leafSetField: leafSetField,
    leafSetOp: leafSetOp,
    inputsFromValue: inputsFromValue,
    valueFromInputs: valueFromInputs,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = model;
  if (typeof document === "undefined") return;

  // --- The page ------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  }

  function Builder(textarea, config) {
    this.textarea = textarea;
    this.config = config;
    this.labels = config.labels;
    this.fieldRow = textarea.closest("[data-testid=field-condition]") || textarea.parentElement;
    this.form = textarea.form;
    this.transactionSelect = this.form.querySelector("[name=transaction_type]");
    this.root = null;
    this.mount();
  }

  Builder.prototype.mount = function () {
    const labels = this.labels;
    this.panel = el("section", {
      class: "mb-3",
      "data-testid": "condition-builder",
      "aria-labelledby": "condition-builder-heading",
    });
    this.panel.append(
      el("h2", { class: "form-label fw-semibold fs-6 mb-1", id: "condition-builder-heading", text: labels.builder }),
      el("p", { class: "form-text mt-0 mb-2", text: labels.builder_help }),
    );
    this.notice = el("div", { class: "alert alert-warning py-2 small", role: "status", hidden: true, text: labels.json_only });
    this.body = el("div", { "data-testid": "condition-builder-rows" });
    this.toggle = el("button", {
      type: "button",
      class: "btn btn-link btn-sm px-0",
      "aria-expanded": "false",
      "aria-controls": this.fieldRow.id || (this.fieldRow.id = "condition-json"),
      "data-testid": "condition-json-toggle",
    });
    this.panel.append(this.notice, this.body);
    // The "reads as" text (or where the condition is wrong) right under the rows; the JSON,
    // the advanced view, after it.
    const preview = this.form.querySelector("#condition-preview");
    if (preview) this.panel.append(preview);
    this.panel.append(this.toggle);
    this.fieldRow.before(this.panel);

    this.panel.addEventListener("change", (event) => this.onChange(event));
    this.panel.addEventListener("input", (event) => this.onInput(event));
    this.panel.addEventListener("click", (event) => this.onClick(event));
    this.toggle.addEventListener("click", () => this.showJSON(this.fieldRow.hidden));
    this.textarea.addEventListener("input", () => {
      if (!this.writing) this.load(false);
    });
    if (this.transactionSelect) {
      // Other elements to pick from, and the same condition read against them again.
      this.transactionSelect.addEventListener("change", () => {
        this.render();
        this.textarea.dispatchEvent(new Event("preview-refresh"));
      });
    }
    const hasErrors = this.fieldRow.querySelector(".invalid-feedback");
    this.load(true);
    this.showJSON(Boolean(hasErrors) || this.root === null);
  };

  Builder.prototype.showJSON = function (show) {
    this.fieldRow.hidden = !show;
    this.toggle.setAttribute("aria-expanded", String(show));
    this.toggle.textContent = show ? this.labels.hide_json : this.labels.show_json;
  };

  // Read the textarea: rows when the builder can show the JSON exactly, else the notice.
  Builder.prototype.load = function (first) {
    const text = this.textarea.value.trim();
    let tree = null;
    if (text === "") tree = treeFromJSON(undefined);
    else {
      try {
        tree = treeFromJSON(JSON.parse(text));
      } catch (error) {
        tree = null;
      }
    }
    this.root = tree;
    this.notice.hidden = tree !== null;
    if (tree === null && !first) this.showJSON(true);
    this.render();
  };

  Builder.prototype.write = function () {
    this.writing = true;
    this.textarea.value = formatJSON(treeToJSON(this.root));
    this.textarea.dispatchEvent(new Event("input", { bubbles: true }));
    this.writing = false;
  };

  // --- Fields and their kinds

  Builder.prototype.elements = function () {
    const id = this.transactionSelect ? this.transactionSelect.value : "";
    const transaction = this.config.transactions[id];
    return transaction ? transaction : null;
  };

  Builder.prototype.fieldInfo = function (path) {
    const transaction = this.elements();
    if (path.startsWith("elements.")) {
      const element = transaction && transaction.elements.find((item) => item.path === path);
      return element || null;
    }
    return this.config.facts.find((fact) => fact.path === path) || null;
  };

  Builder.prototype.kindOf = function (leaf) {
    const info = this.fieldInfo(leaf.field);
    return info ? info.kind : null;
  };

  Builder.prototype.choicesOf = function (leaf) {
    const info = this.fieldInfo(leaf.field);
    return info && info.choices ? this.config.catalogues[info.choices] || [] : null;
  };

  // --- Rendering

  Builder.prototype.render = function () {
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.focusKey
      : null;
    this.body.replaceChildren();
    if (this.root) {
      this.counters = { row: 0, group: 0 };
      this.body.append(this.renderGroup(this.root, []));
    }
    if (focused) {
      const again = this.body.querySelector('[data-focus-key="' + focused + '"]');
      if (again) again.focus();
    }
    this.showJSON(!this.fieldRow.hidden);
  };

  Builder.prototype.key = function (path, role) {
    return "cb-" + (path.length ? path.join("-") : "root") + "-" + role;
  };

  Builder.prototype.control = function (tag, path, role, attrs, children) {
    const id = this.key(path, role);
    return el(
      tag,
      Object.assign({ id: id, "data-focus-key": id, "data-path": path.join("."), "data-role": role }, attrs),
      children,
    );
  };

  Builder.prototype.negateBox = function (node, path) {
    const box = this.control("input", path, "negate", {
      type: "checkbox",
      class: "form-check-input",
      title: this.labels.negate_hint,
      checked: node.negated,
    });
    return el("div", { class: "form-check mb-0 cb-negate" }, [
      box,
      el("label", { class: "form-check-label", for: box.id, text: this.labels.negate }),
    ]);
  };

  Builder.prototype.renderGroup = function (group, path) {
    const labels = this.labels;
    this.counters.group += 1;
    const name = fill(labels.group, { number: this.counters.group });
    const box = el("fieldset", {
      class: "border rounded p-2 mb-2" + (path.length ? " ms-3 bg-body-tertiary" : ""),
      "data-testid": "condition-group",
    });
    box.append(el("legend", { class: "visually-hidden", text: name }));
    const mode = this.control("select", path, "mode", { class: "form-select form-select-sm w-auto" }, [
      el("option", { value: "all", selected: group.mode === "all", text: labels.all }),
      el("option", { value: "any", selected: group.mode === "any", text: labels.any }),
    ]);
    box.append(
      el("div", { class: "d-flex flex-wrap align-items-center gap-2 mb-2" }, [
        this.negateBox(group, path),
        el("label", { class: "small fw-semibold", for: mode.id, text: labels.match }),
        mode,
      ]),
    );
    group.children.forEach((child, index) => {
      const childPath = path.concat([index]);
      box.append(child.type === "group" ? this.renderGroup(child, childPath) : this.renderLeaf(child, childPath));
    });
    const actions = el("div", { class: "d-flex flex-wrap gap-2" }, [
      this.control("button", path, "add-row", { type: "button", class: "btn btn-outline-primary btn-sm" }, [
        el("i", { class: "bi bi-plus-lg", "aria-hidden": "true" }),
        " " + labels.add_row,
      ]),
      this.control("button", path, "add-group", { type: "button", class: "btn btn-outline-secondary btn-sm" }, [
        el("i", { class: "bi bi-diagram-2", "aria-hidden": "true" }),
        " " + labels.add_group,
      ]),
      path.length
        ? this.control("button", path, "remove", { type: "button", class: "btn btn-outline-danger btn-sm" }, [
            el("i", { class: "bi bi-trash", "aria-hidden": "true" }),
            " " + labels.remove_group,
          ])
        : null,
    ]);
    box.append(actions);
    return box;
  };

  Builder.prototype.fieldSelect = function (leaf, path) {
    const labels = this.labels;
    const select = this.control("select", path, "field", { class: "form-select form-select-sm" });
    let known = false;
    const option = (value, text) => {
      if (value === leaf.field) known = true;
      return el("option", { value: value, selected: value === leaf.field, text: text });
    };
    const transaction = this.elements();
    if (transaction) {
      const group = el("optgroup", { label: fill(labels.elements_of, { transaction: transaction.name }) });
      for (const element of transaction.elements) group.append(option(element.path, element.label));
      select.append(group);
    }
    for (const [source, title] of Object.entries(this.config.sources)) {
      const facts = this.config.facts.filter((fact) => fact.source === source);
      if (!facts.length) continue;
      const group = el("optgroup", { label: title });
      for (const fact of facts) group.append(option(fact.path, fact.label));
      select.append(group);
    }
    if (!known) {
      select.prepend(
        el("option", {
          value: leaf.field,
          selected: true,
          text: leaf.field ? fill(labels.unknown_field, { field: leaf.field }) : labels.pick,
        }),
      );
    }
    return select;
  };

  Builder.prototype.labelled = function (control, text, extra) {
    return el("div", { class: extra || "" }, [
      el("label", { class: "form-label small mb-0", for: control.id, text: text }),
      control,
    ]);
  };

  Builder.prototype.valueWidgets = function (leaf, path, kind) {
    const labels = this.labels;
    if (leaf.op === "is_set" || kind === null || kind === "object") return [];
    const inputs = inputsFromValue(kind, leaf.op, leaf.value);
    const choices = this.choicesOf(leaf);
    const isList = LIST_OPS.includes(leaf.op);
    if (kind === "money") {
      const amount = this.control("input", path, "amount", {
        type: "text",
        inputmode: "decimal",
        autocomplete: "off",
        class: "form-control form-control-sm",
        value: inputs.amount,
        size: 14,
      });
      const currencies = this.config.catalogues.currency.map((pair) => pair[0]);
      const currency = this.control("select", path, "currency", { class: "form-select form-select-sm" });
      if (!currencies.includes(inputs.currency)) currencies.unshift(inputs.currency);
      for (const code of currencies) {
        currency.append(el("option", { value: code, selected: code === inputs.currency, text: code }));
      }
      // The amount and its currency stay together when the row wraps.
      return [
        el("div", { class: "cb-value d-flex gap-2" }, [
          this.labelled(amount, labels.amount),
          this.labelled(currency, labels.currency),
        ]),
      ];
    }
    if (isList && choices && choices.length) {
      const box = el("fieldset", { class: "cb-value-wide d-flex flex-wrap gap-2 border rounded px-2 py-1 bg-body" }, [
        el("legend", { class: "form-label small mb-0 float-none w-auto fs-6", text: labels.value }),
      ]);
      const known = choices.map((pair) => pair[0]);
      const all = choices.concat(inputs.checked.filter((code) => !known.includes(code)).map((code) => [code, code]));
      all.forEach((pair, index) => {
        const box_ = el("input", {
          type: "checkbox",
          class: "form-check-input",
          id: this.key(path, "choice-" + index),
          "data-focus-key": this.key(path, "choice-" + index),
          "data-path": path.join("."),
          "data-role": "choice",
          value: pair[0],
          checked: inputs.checked.includes(pair[0]),
        });
        box.append(
          el("div", { class: "form-check mb-0" }, [
            box_,
            el("label", { class: "form-check-label small", for: box_.id, text: pair[1] }),
          ]),
        );
      });
      return [box];
    }
    if (isList) {
      const text = this.control("input", path, "text", {
        type: "text",
        class: "form-control form-control-sm",
        value: inputs.text,
        title: labels.list_hint,
        placeholder: labels.list_hint,
      });
      return [this.labelled(text, labels.value, "cb-value-wide")];
    }
    if (kind === "boolean") {
      const select = this.control("select", path, "text", { class: "form-select form-select-sm" }, [
        el("option", { value: "true", selected: inputs.text === "true", text: labels.yes }),
        el("option", { value: "false", selected: inputs.text === "false", text: labels.no }),
      ]);
      return [this.labelled(select, labels.value, "cb-value")];
    }
    if (kind === "string" && choices && choices.length && leaf.op !== "starts_with") {
      const select = this.control("select", path, "text", { class: "form-select form-select-sm" });
      const codes = choices.map((pair) => pair[0]);
      if (!codes.includes(inputs.text)) {
        select.append(el("option", { value: inputs.text, selected: true, text: inputs.text || labels.pick }));
      }
      for (const pair of choices) {
        select.append(el("option", { value: pair[0], selected: pair[0] === inputs.text, text: pair[1] }));
      }
      return [this.labelled(select, labels.value, "cb-value-wide")];
    }
    const attrs = { class: "form-control form-control-sm", value: inputs.text, autocomplete: "off" };
    if (kind === "date") attrs.type = "date";
    else {
      attrs.type = "text";
      if (kind === "integer") attrs.inputmode = "numeric";
      if (kind === "decimal") attrs.inputmode = "decimal";
    }
    return [this.labelled(this.control("input", path, "text", attrs), labels.value, "cb-value-wide")];
  };

  Builder.prototype.renderLeaf = function (leaf, path) {
    const labels = this.labels;
    this.counters.row += 1;
    const name = fill(labels.row, { number: this.counters.row });
    const kind = this.kindOf(leaf);
    leaf.kind = kind;
    const operators = kind ? this.config.operators[kind] : [leaf.op];
    const op = this.control("select", path, "op", { class: "form-select form-select-sm" });
    if (!operators.includes(leaf.op)) op.append(el("option", { value: leaf.op, selected: true, text: leaf.op }));
    for (const code of operators) {
      op.append(
        el("option", { value: code, selected: code === leaf.op, text: this.config.operator_labels[code] || code }),
      );
    }
    const row = el("div", {
      class: "cb-row d-flex flex-wrap align-items-end gap-2 border rounded p-2 mb-2 bg-body",
      role: "group",
      "aria-label": name,
      "data-testid": "condition-row",
    });
    row.append(
      this.negateBox(leaf, path),
      this.labelled(this.fieldSelect(leaf, path), labels.field, "cb-field"),
      this.labelled(op, labels.operator, "cb-op"),
      ...this.valueWidgets(leaf, path, kind),
      this.control("button", path, "remove", {
        type: "button",
        class: "btn btn-outline-danger btn-sm cb-remove",
        "aria-label": labels.remove_row + " (" + name + ")",
        title: labels.remove_row,
      }, [el("i", { class: "bi bi-x-lg", "aria-hidden": "true" })]),
    );
    return row;
  };

  // --- Editing

  Builder.prototype.pathOf = function (target) {
    const raw = target.dataset.path;
    return raw ? raw.split(".").map(Number) : [];
  };

  Builder.prototype.readInputs = function (path) {
    const key = (role) => document.getElementById(this.key(path, role));
    const checked = this.body.querySelectorAll('[data-role=choice][data-path="' + path.join(".") + '"]');
    if (checked.length) {
      return { checked: Array.from(checked).filter((box) => box.checked).map((box) => box.value) };
    }
    return {
      text: key("text") ? key("text").value : "",
      amount: key("amount") ? key("amount").value : "",
      currency: key("currency") ? key("currency").value : "",
    };
  };

  Builder.prototype.onInput = function (event) {
    const role = event.target.dataset.role;
    if (role === "text" || role === "amount") this.valueChanged(event.target);
  };

  Builder.prototype.valueChanged = function (target) {
    const path = this.pathOf(target);
    const leaf = nodeAt(this.root, path);
    const kind = this.kindOf(leaf) || "string";
    setValue(leaf, valueFromInputs(kind, leaf.op, this.readInputs(path), leaf.value));
    this.write();
  };

  Builder.prototype.onChange = function (event) {
    const target = event.target;
    const role = target.dataset.role;
    if (!role) return;
    const path = this.pathOf(target);
    const node = nodeAt(this.root, path);
    if (role === "negate") node.negated = target.checked;
    else if (role === "mode") node.mode = target.value;
    else if (role === "field") {
      const info = this.fieldInfo(target.value);
      if (!info) return;
      leafSetField(node, target.value, info.kind, this.config.operators[info.kind], this.choicesOf({ field: target.value }));
    } else if (role === "op") {
      leafSetOp(node, target.value, this.kindOf(node) || "string", this.choicesOf(node));
    } else if (role === "currency" || role === "choice" || role === "text") {
      this.valueChanged(target);
      return;
    } else return;
    this.write();
    this.render();
  };

  Builder.prototype.newLeaf = function () {
    const transaction = this.elements();
    const first = transaction && transaction.elements.length ? transaction.elements[0] : this.config.facts[0];
    const leaf = { type: "leaf", field: "", op: "", negated: false };
    const choices = first.choices ? this.config.catalogues[first.choices] : null;
    leafSetField(leaf, first.path, first.kind, this.config.operators[first.kind], choices);
    delete leaf.kind;
    return leaf;
  };

  Builder.prototype.onClick = function (event) {
    const target = event.target.closest("button[data-role]");
    if (!target || !this.panel.contains(target)) return;
    const role = target.dataset.role;
    const path = this.pathOf(target);
    let focusKey = null;
    if (role === "add-row" || role === "add-group") {
      const group = nodeAt(this.root, path);
      const child =
        role === "add-row"
          ? this.newLeaf()
          : { type: "group", mode: "any", children: [this.newLeaf()], negated: false };
      group.children.push(child);
      const childPath = path.concat([group.children.length - 1]);
      focusKey = this.key(role === "add-row" ? childPath : childPath.concat([0]), "field");
      if (role === "add-group") focusKey = this.key(childPath, "mode");
    } else if (role === "remove") {
      const parentPath = path.slice(0, -1);
      nodeAt(this.root, parentPath).children.splice(path[path.length - 1], 1);
      focusKey = this.key(parentPath, "add-row");
    } else return;
    this.write();
    this.render();
    const next = focusKey && document.getElementById(focusKey);
    if (next) next.focus();
  };

  function start() {
    document.querySelectorAll("textarea[data-condition-builder]").forEach((textarea) => {
      const source = document.getElementById(textarea.dataset.conditionBuilder);
      if (!source || textarea.dataset.conditionBuilderReady) return;
      textarea.dataset.conditionBuilderReady = "1";
      new Builder(textarea, JSON.parse(source.textContent));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
