/* The lesson editor's Markdown box (courses.blocks.MarkdownEditor): a toolbar that writes
   Markdown, Ctrl/Cmd+B and +I, and a live preview. The preview HTML comes from the server
   (courses:markdown_preview), rendered and sanitised exactly as on the lesson page; this
   script never renders Markdown itself. A Stimulus controller of Wagtail's admin, so it also
   starts in blocks added to the page after it loaded. */
(function () {
  "use strict";
  var wagtail = window.wagtail;
  var Stimulus = window.StimulusModule;
  if (!wagtail || !wagtail.app || !Stimulus) return;

  var LINE_PREFIX = { heading: "## ", list: "- ", quote: "> " };

  function csrfToken(element) {
    var form = element.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    return (window.wagtailConfig && window.wagtailConfig.CSRF_TOKEN) || "";
  }

  class MarkdownEditorController extends Stimulus.Controller {
    connect() {
      // Placeholder words and status messages, translated by the server (MarkdownEditor.messages).
      this.text = this.messagesValue;
      this.timer = null;
      this.request = null;
      this.refresh();
    }

    disconnect() {
      clearTimeout(this.timer);
      if (this.request) this.request.abort();
    }

    /* Replace the selection with text and select [selectStart, selectEnd) of it; through
       execCommand where the browser allows, so Ctrl+Z undoes it. */
    replaceSelection(text, selectStart, selectEnd) {
      var input = this.inputTarget;
      var start = input.selectionStart;
      input.focus();
      var done = false;
      try {
        done = document.execCommand("insertText", false, text);
      } catch (e) {
        done = false;
      }
      if (!done || input.value.substr(start, text.length) !== text) {
        input.setRangeText(text, start, input.selectionEnd, "end");
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      input.setSelectionRange(start + selectStart, start + selectEnd);
    }

    wrap(marker, kind) {
      var input = this.inputTarget;
      var selected = input.value.slice(input.selectionStart, input.selectionEnd) || this.text[kind];
      this.replaceSelection(marker + selected + marker, marker.length, marker.length + selected.length);
    }

    prefixLines(prefix, kind) {
      var input = this.inputTarget;
      var value = input.value;
      var start = value.lastIndexOf("\n", input.selectionStart - 1) + 1;
      var end = input.selectionEnd;
      if (end > start && value.charAt(end - 1) === "\n") end -= 1;
      var lineEnd = value.indexOf("\n", end);
      end = lineEnd === -1 ? value.length : lineEnd;
      var lines = value.slice(start, end).split("\n");
      var placeholder = this.text[kind];
      var allPrefixed = lines.every(function (line) { return line.indexOf(prefix) === 0; });
      var text = lines.map(function (line) {
        if (allPrefixed) return line.slice(prefix.length);
        if (kind === "heading") line = line.replace(/^#+\s*/, "");
        return prefix + (line || placeholder);
      }).join("\n");
      input.setSelectionRange(start, end);
      this.replaceSelection(text, 0, text.length);
    }

    link() {
      var input = this.inputTarget;
      var selected = input.value.slice(input.selectionStart, input.selectionEnd);
      if (/^(https?:\/\/|\/)\S*$/.test(selected)) {
        var label = this.text.link;
        this.replaceSelection("[" + label + "](" + selected + ")", 1, 1 + label.length);
      } else {
        var text = selected || this.text.link;
        var url = "https://";
        this.replaceSelection("[" + text + "](" + url + ")", text.length + 3, text.length + 3 + url.length);
      }
    }

    format(event) {
      var kind = event.params.format;
      if (kind === "bold") this.wrap("**", kind);
      else if (kind === "italic") this.wrap("*", kind);
      else if (kind === "link") this.link();
      else if (LINE_PREFIX[kind]) this.prefixLines(LINE_PREFIX[kind], kind);
    }

    shortcut(event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      var key = event.key.toLowerCase();
      if (key === "b" || key === "i") {
        event.preventDefault();
        this.wrap(key === "b" ? "**" : "*", key === "b" ? "bold" : "italic");
      }
    }

    /* 法条引用: choose an article in the statute chooser, insert 《法律全称》第N条. */
    cite() {
      var self = this;
      var input = this.inputTarget;
      var start = input.selectionStart, end = input.selectionEnd;
      if (!window.ModalWorkflow || !window.ChooserModalOnloadHandlerFactory || !this.chooserUrlValue) {
        this.replaceSelection("《》", 1, 1);
        return;
      }
      window.ModalWorkflow({
        url: this.chooserUrlValue,
        onload: new window.ChooserModalOnloadHandlerFactory().getOnLoadHandlers(),
        responses: {
          chosen: function (result) {
            var text = result.citation || result.title;
            input.focus();
            input.setSelectionRange(start, end);
            self.replaceSelection(text, text.length, text.length);
          },
        },
      });
    }

    schedule() {
      clearTimeout(this.timer);
      this.timer = setTimeout(this.refresh.bind(this), 400);
    }

    refresh() {
      if (!this.hasPreviewTarget || !this.detailsTarget.open) return;
      var text = this.inputTarget.value;
      if (text === this.renderedText) return;
      if (this.request) this.request.abort();
      var request = new AbortController();
      this.request = request;
      var body = new FormData();
      body.append("text", text);
      this.statusTarget.textContent = this.text.updating;
      var self = this;
      fetch(this.previewUrlValue, {
        method: "POST", body: body, credentials: "same-origin", signal: request.signal,
        headers: { "X-CSRFToken": csrfToken(this.element), "X-Requested-With": "XMLHttpRequest" },
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (result.ok) {
          self.renderedText = text;
          self.previewTarget.innerHTML = result.data.html;  // sanitised by the server's allow-list
          self.statusTarget.textContent = "";
        } else {
          self.statusTarget.textContent = (result.data.error && result.data.error.message) || self.text.failed;
        }
      }).catch(function (error) {
        if (error.name !== "AbortError") self.statusTarget.textContent = self.text.offline;
      });
    }
  }
  MarkdownEditorController.targets = ["input", "preview", "status", "details"];
  MarkdownEditorController.values = { previewUrl: String, chooserUrl: String, messages: Object };

  wagtail.app.register("academy-markdown", MarkdownEditorController);
})();
