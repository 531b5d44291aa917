/* Type-to-filter for the grouped choosers of the case form (casebank.choosers): a list box
   with <optgroup> headings, or checkboxes in <fieldset>s. Typing hides the options whose text
   and group heading do not contain every word typed; what is chosen stays visible. Enter never
   submits the page form (it picks the only match of a list box), ArrowDown moves to the
   options, Escape clears the filter. A Stimulus controller of Wagtail's admin. */
(function () {
  "use strict";
  var wagtail = window.wagtail;
  var Stimulus = window.StimulusModule;
  if (!wagtail || !wagtail.app || !Stimulus) return;

  function normalise(text) {
    return (text || "").toLowerCase().replace(/\s+/g, " ");
  }

  class ChoicesController extends Stimulus.Controller {
    connect() {
      this.select = this.element.querySelector("select");
      this.entries = [];
      if (this.select) {
        Array.prototype.forEach.call(this.select.options, function (option) {
          var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode : null;
          this.entries.push({ node: option, group: group, input: option,
                              text: normalise((group ? group.label + " " : "") + option.text) });
        }, this);
      } else {
        this.element.querySelectorAll(".academy-choices__option").forEach(function (node) {
          var group = node.closest("fieldset");
          var legend = group && group.querySelector("legend");
          this.entries.push({ node: node, group: group, input: node.querySelector("input"),
                              text: normalise((legend ? legend.textContent + " " : "") + node.textContent) });
        }, this);
      }
      this.filterTarget.hidden = false;
      this.count();
    }

    chosen(entry) {
      return this.select ? entry.node.selected && entry.node.value !== "" : entry.input && entry.input.checked;
    }

    visible() {
      return this.entries.filter(function (entry) { return !entry.node.hidden; });
    }

    filter() {
      var words = normalise(this.filterTarget.value).trim().split(" ").filter(Boolean);
      var shown = 0;
      var groups = new Map();
      this.entries.forEach(function (entry) {
        var match = words.every(function (word) { return entry.text.indexOf(word) !== -1; });
        if (match && entry.node.value === "" && words.length) match = false;  // the empty choice
        entry.node.hidden = !(match || this.chosen(entry));
        if (match) shown += 1;
        if (entry.group) groups.set(entry.group, groups.get(entry.group) || !entry.node.hidden);
      }, this);
      groups.forEach(function (any, group) { group.hidden = !any; });
      this.emptyTarget.hidden = shown > 0;
    }

    key(event) {
      var visible = this.visible().filter(function (entry) { return entry.node.value !== ""; });
      if (event.key === "Enter") {
        event.preventDefault();
        if (this.select && visible.length === 1) {
          this.select.value = visible[0].node.value;
          this.select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      } else if (event.key === "ArrowDown" && visible.length) {
        event.preventDefault();
        (this.select || visible[0].input).focus();
      } else if (event.key === "Escape" && this.filterTarget.value) {
        event.preventDefault();
        event.stopPropagation();
        this.filterTarget.value = "";
        this.filter();
      }
    }

    count() {
      if (!this.hasCountTarget) return;
      var n = this.entries.filter(this.chosen, this).length;
      this.countTarget.textContent = this.countTextValue.replace("{n}", n);
    }
  }
  ChoicesController.targets = ["filter", "empty", "count"];
  ChoicesController.values = { countText: String };

  wagtail.app.register("academy-choices", ChoicesController);
})();
