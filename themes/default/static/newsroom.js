/*
 * Dateline newsroom: progressive enhancement for newsroom pages.
 *
 * This file owns:
 *   - the rich body editor ([data-rich-editor]) over the plain body textarea,
 *   - autosave of the article form (#article-form[data-autosave-url]) to the
 *     server and to localStorage, with restore on load and a leave warning,
 *   - character counters ([data-maxlength-counter]),
 *   - confirmation of dangerous buttons (button[data-confirm]).
 *
 * Every page works without it: the server renders plain forms, and this only
 * adds to them. It is loaded with `defer` on every newsroom page, so each
 * feature first looks for its elements and quietly does nothing without them.
 * The CSP forbids inline script and style: state is shown with classes,
 * ARIA and data attributes only, never element.style.
 */
(() => {
  'use strict';

  /* Rich editors by their textarea, so autosave can restore into them. */
  const richEditors = new Map();

  /* ---------------------------------------------------------------------
   * Small helpers
   * ------------------------------------------------------------------- */

  /* Replace {name} placeholders; unknown ones are left as they are. */
  function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole);
  }

  /* Local wall-clock time as HH:MM:SS (what an editor compares with the clock). */
  function clockTime(date) {
    const d = date instanceof Date && !Number.isNaN(date.getTime()) ? date : new Date();
    return [d.getHours(), d.getMinutes(), d.getSeconds()]
      .map((n) => String(n).padStart(2, '0')).join(':');
  }

  /* execCommand and friends are deprecated and may throw or be missing. */
  function exec(command, value) {
    try {
      return document.execCommand(command, false, value);
    } catch (err) {
      return false;
    }
  }

  function queryState(command) {
    try {
      return document.queryCommandState(command);
    } catch (err) {
      return false;
    }
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({
      '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
    }[c]));
  }

  /* Links may only point to the web, mail, or a path on this site. Anything
     else (javascript:, data:, protocol-relative //host) is refused here; the
     server sanitizes again. */
  function safeHref(raw) {
    const value = String(raw || '').trim();
    if (!value || /[\s\\\u0000-\u001f\u007f]/.test(value)) return null;
    if (value.startsWith('/')) return value.startsWith('//') ? null : value;
    try {
      const url = new URL(value);
      return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? value : null;
    } catch (err) {
      return null;
    }
  }

  /* ---------------------------------------------------------------------
   * A. Rich body editor
   * ------------------------------------------------------------------- */

  function initRichEditors() {
    const roots = document.querySelectorAll('[data-rich-editor]');
    if (!roots.length) return;
    // New paragraphs on Enter are <p>, not <div>, whatever the browser's default.
    exec('defaultParagraphSeparator', 'p');
    // Bold and italic as <b>/<i>, never <span style> (the CSP would drop it).
    exec('styleWithCSS', false);
    roots.forEach((root) => {
      try {
        setupRichEditor(root);
      } catch (err) {
        // Leave the plain textarea in place: it still works.
        if (window.console) console.error('newsroom: rich editor', err);
      }
    });
  }

  function setupRichEditor(root) {
    const toolbar = root.querySelector('.rte-toolbar');
    const textarea = root.querySelector('textarea');
    if (!toolbar || !textarea || richEditors.has(textarea)) return;
    if (typeof document.execCommand !== 'function') return;

    const surface = document.createElement('div');
    surface.className = 'rte-surface';
    surface.contentEditable = 'true';
    surface.setAttribute('role', 'textbox');
    surface.setAttribute('aria-multiline', 'true');
    surface.setAttribute('aria-label', labelText(textarea));
    for (const name of ['aria-describedby', 'aria-invalid', 'dir', 'lang']) {
      if (textarea.hasAttribute(name)) surface.setAttribute(name, textarea.getAttribute(name));
    }
    // A hidden required control blocks submission with no visible message;
    // move the requirement to the surface for assistive tech (server checks).
    if (textarea.required) {
      textarea.required = false;
      surface.setAttribute('aria-required', 'true');
    }

    const buttons = Array.from(toolbar.querySelectorAll('button[data-command]'));
    let savedRange = null;

    /* The body HTML as it should be submitted: empty when nothing is there. */
    function serialize() {
      const hasContent = surface.textContent.trim() !== '' ||
        surface.querySelector('img, picture, video, audio, iframe, embed, object, hr, table, figure');
      return hasContent ? surface.innerHTML : '';
    }

    /* Copy the surface into the textarea; tell the form only on real change. */
    function sync() {
      const html = serialize();
      if (html === textarea.value) return;
      textarea.value = html;
      // Dispatched on the textarea so it bubbles to the form (autosave) as an
      // ordinary field edit would, and reaches any listener on the field.
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    }

    function load(html) {
      surface.innerHTML = html && html.trim() ? html : '<p><br></p>';
      textarea.value = serialize();
    }

    /* Keep at least one paragraph so typed text never lands bare in the div
       (browsers can delete the last <p> when everything is selected and cut). */
    function ensureParagraph() {
      if (surface.textContent !== '' || surface.querySelector('p, h2, h3, h4, ul, ol, blockquote, pre, div, img, hr, table, figure')) return;
      surface.innerHTML = '<p><br></p>';
      placeCaret(surface.firstChild, 0);
    }

    function placeCaret(node, offset) {
      const selection = window.getSelection();
      if (!selection) return;
      const range = document.createRange();
      range.setStart(node, offset);
      range.collapse(true);
      selection.removeAllRanges();
      selection.addRange(range);
    }

    function selectionInside() {
      const selection = window.getSelection();
      if (!selection || !selection.rangeCount) return null;
      const range = selection.getRangeAt(0);
      return surface.contains(range.commonAncestorContainer) ? range : null;
    }

    /* Focus the surface and put back the last selection it had, so a toolbar
       click (or a prompt) acts where the writer was. */
    function focusSurface() {
      if (selectionInside()) return;
      surface.focus();
      if (savedRange && surface.contains(savedRange.commonAncestorContainer)) {
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(savedRange);
      }
    }

    /* Nearest ancestor (inside the surface) matching a selector. */
    function closestInSurface(selector) {
      const range = selectionInside();
      if (!range) return null;
      let node = range.startContainer;
      if (node.nodeType !== Node.ELEMENT_NODE) node = node.parentElement;
      const found = node && node.closest(selector);
      return found && surface.contains(found) && found !== surface ? found : null;
    }

    /* aria-pressed from the DOM around the caret: cheaper and more uniform
       across browsers than queryCommandValue('formatBlock'). */
    function updatePressed() {
      if (!selectionInside()) return;
      const block = closestInSurface('p, h2, h3, h4, li, pre');
      const blockTag = block ? block.tagName.toLowerCase() : '';
      const list = closestInSurface('ul, ol');
      const listTag = list ? list.tagName.toLowerCase() : '';
      const states = {
        p: blockTag === 'p' && !closestInSurface('blockquote'),
        h2: blockTag === 'h2',
        h3: blockTag === 'h3',
        blockquote: Boolean(closestInSurface('blockquote')),
        bold: queryState('bold'),
        italic: queryState('italic'),
        ul: listTag === 'ul',
        ol: listTag === 'ol',
      };
      for (const button of buttons) {
        const command = button.dataset.command;
        if (command in states) button.setAttribute('aria-pressed', String(states[command]));
      }
    }

    function createLink(button) {
      const range = selectionInside();
      const saved = range ? range.cloneRange() : null;
      const existing = closestInSurface('a[href]');
      // window.prompt steals focus; the range is put back afterwards.
      const answer = window.prompt(button.dataset.prompt || 'https://',
        existing ? existing.getAttribute('href') : '');
      if (answer === null) return;
      const href = safeHref(answer);
      if (!href) {
        if (button.dataset.invalid) window.alert(button.dataset.invalid);
        return;
      }
      surface.focus();
      const selection = window.getSelection();
      if (saved) {
        selection.removeAllRanges();
        selection.addRange(saved);
      }
      if (existing && (!saved || saved.collapsed)) {
        // Caret inside a link: change that link's address.
        const whole = document.createRange();
        whole.selectNodeContents(existing);
        selection.removeAllRanges();
        selection.addRange(whole);
      }
      if (selection.isCollapsed) {
        // Nothing selected: insert the address itself as the link text.
        exec('insertHTML', `<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>`);
      } else {
        exec('createLink', href);
      }
    }

    function unlink() {
      const link = closestInSurface('a[href]');
      const selection = window.getSelection();
      if (link && selection.isCollapsed) {
        // A bare caret inside a link: remove the whole link.
        const whole = document.createRange();
        whole.selectNodeContents(link);
        selection.removeAllRanges();
        selection.addRange(whole);
      }
      exec('unlink');
    }

    function run(button) {
      const command = button.dataset.command;
      focusSurface();
      switch (command) {
        case 'p':
          exec('formatBlock', '<p>');
          break;
        case 'h2':
        case 'h3':
        case 'blockquote':
          // Pressing an active block format turns it back into a paragraph.
          exec('formatBlock', button.getAttribute('aria-pressed') === 'true' ? '<p>' : `<${command}>`);
          break;
        case 'bold':
        case 'italic':
          exec(command);
          break;
        case 'ul':
          exec('insertUnorderedList');
          break;
        case 'ol':
          exec('insertOrderedList');
          break;
        case 'link':
          createLink(button);
          break;
        case 'unlink':
          unlink();
          break;
        default:
          return;
      }
      sync();
      updatePressed();
    }

    /* --- wiring --- */

    load(textarea.value);
    textarea.hidden = true;
    toolbar.hidden = false;
    toolbar.after(surface);
    richEditors.set(textarea, { load, sync, surface });

    for (const button of buttons) {
      if (['p', 'h2', 'h3', 'blockquote', 'bold', 'italic', 'ul', 'ol'].includes(button.dataset.command)) {
        button.setAttribute('aria-pressed', 'false');
      }
    }
    setupToolbarKeys(toolbar, buttons);

    // Keep the selection in the surface when a toolbar button is pressed.
    toolbar.addEventListener('mousedown', (event) => {
      if (event.target instanceof Element && event.target.closest('button')) event.preventDefault();
    });
    toolbar.addEventListener('click', (event) => {
      const button = event.target instanceof Element && event.target.closest('button[data-command]');
      if (button && toolbar.contains(button) && !button.disabled) run(button);
    });

    surface.addEventListener('input', (event) => {
      // The surface is not a form field; the textarea speaks for it (see sync).
      event.stopPropagation();
      ensureParagraph();
      sync();
      updatePressed(); // keyboard shortcuts (Ctrl+B) change state in place
    });

    surface.addEventListener('paste', (event) => {
      // Plain text only: no Word or web styles come in with a paste.
      event.preventDefault();
      const text = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
      if (text) exec('insertText', text);
    });

    // Drops from outside carry HTML too; insert them as plain text where
    // dropped. Drags within the surface keep the browser's own move.
    let draggingInside = false;
    surface.addEventListener('dragstart', () => { draggingInside = true; });
    surface.addEventListener('dragend', () => { draggingInside = false; });
    surface.addEventListener('drop', (event) => {
      if (draggingInside) return;
      event.preventDefault();
      const text = event.dataTransfer ? event.dataTransfer.getData('text/plain') : '';
      if (!text) return;
      const range = rangeAtPoint(event.clientX, event.clientY);
      surface.focus();
      if (range && surface.contains(range.startContainer)) {
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      exec('insertText', text);
    });

    document.addEventListener('selectionchange', () => {
      const range = selectionInside();
      if (!range) return;
      savedRange = range.cloneRange();
      updatePressed();
    });

    // The textarea's <label> now names the surface: clicking it goes there.
    for (const label of Array.from(textarea.labels || [])) {
      label.addEventListener('click', (event) => {
        event.preventDefault();
        focusSurface();
      });
    }

    // Belt and braces: the submitted body is exactly what is on screen.
    if (textarea.form) textarea.form.addEventListener('submit', () => { textarea.value = serialize(); });
  }

  function labelText(textarea) {
    const label = textarea.labels && textarea.labels[0];
    const root = textarea.closest('[data-rich-editor]');
    const toolbar = root && root.querySelector('[role="toolbar"]');
    const text = (label && label.textContent.trim()) || textarea.getAttribute('aria-label') ||
      textarea.getAttribute('title') || (toolbar && toolbar.getAttribute('aria-label')) || '';
    return text.replace(/\s+/g, ' ');
  }

  function rangeAtPoint(x, y) {
    if (document.caretRangeFromPoint) return document.caretRangeFromPoint(x, y);
    if (document.caretPositionFromPoint) {
      const position = document.caretPositionFromPoint(x, y);
      if (!position) return null;
      const range = document.createRange();
      range.setStart(position.offsetNode, position.offset);
      range.collapse(true);
      return range;
    }
    return null;
  }

  /* role=toolbar is one tab stop; arrow keys move between its buttons
     (mirrored in right-to-left pages), Home and End jump to the ends. */
  function setupToolbarKeys(toolbar, buttons) {
    if (!buttons.length) return;
    let current = 0;
    const focusAt = (index) => {
      current = (index + buttons.length) % buttons.length;
      buttons.forEach((b, i) => { b.tabIndex = i === current ? 0 : -1; });
      buttons[current].focus();
    };
    buttons.forEach((b, i) => { b.tabIndex = i === 0 ? 0 : -1; });
    toolbar.addEventListener('keydown', (event) => {
      const index = buttons.indexOf(event.target);
      if (index < 0) return;
      const rtl = getComputedStyle(toolbar).direction === 'rtl';
      const next = rtl ? 'ArrowLeft' : 'ArrowRight';
      const previous = rtl ? 'ArrowRight' : 'ArrowLeft';
      if (event.key === next) focusAt(index + 1);
      else if (event.key === previous) focusAt(index - 1);
      else if (event.key === 'Home') focusAt(0);
      else if (event.key === 'End') focusAt(buttons.length - 1);
      else return;
      event.preventDefault();
    });
    toolbar.addEventListener('focusin', (event) => {
      const index = buttons.indexOf(event.target);
      if (index >= 0 && index !== current) {
        current = index;
        buttons.forEach((b, i) => { b.tabIndex = i === current ? 0 : -1; });
      }
    });
  }

  /* ---------------------------------------------------------------------
   * A. Autosave (server and this browser)
   * ------------------------------------------------------------------- */

  const AUTOSAVE_DELAY_MS = 1500;
  const AUTOSAVE_MAX_WAIT_MS = 15000;

  /* Fields worth keeping: what a person edits. Hidden inputs (version,
     tokens) stay as the server rendered them; buttons and files are skipped. */
  function editableFields(form) {
    return Array.from(form.elements).filter((el) => {
      if (!el.name || el.name === 'action' || el.matches(':disabled')) return false;
      if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
      if (!(el instanceof HTMLInputElement)) return false;
      return !['hidden', 'file', 'submit', 'button', 'reset', 'image', 'password'].includes(el.type);
    });
  }

  /* { name: [values…] } in document order; unchecked boxes give [] so a
     restore can uncheck them. */
  function readValues(form) {
    const values = {};
    for (const el of editableFields(form)) {
      const list = values[el.name] || (values[el.name] = []);
      if (el instanceof HTMLSelectElement) {
        for (const option of Array.from(el.selectedOptions)) list.push(option.value);
      } else if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.checked) list.push(el.value);
      } else {
        list.push(el.value);
      }
    }
    return values;
  }

  /* Put stored values back; returns the fields that changed. */
  function writeValues(form, values) {
    const changed = [];
    const seen = {};
    for (const el of editableFields(form)) {
      const list = values[el.name];
      if (!Array.isArray(list)) continue; // a field the stored copy never had
      let differs = false;
      if (el instanceof HTMLSelectElement) {
        for (const option of Array.from(el.options)) {
          const want = el.multiple ? list.includes(option.value) : option.value === list[0];
          if (option.selected !== want) {
            option.selected = want;
            differs = true;
          }
        }
      } else if (el.type === 'checkbox' || el.type === 'radio') {
        const want = list.includes(el.value);
        if (el.checked !== want) {
          el.checked = want;
          differs = true;
        }
      } else {
        // Several text fields may share a name: take values in order.
        const index = seen[el.name] || 0;
        seen[el.name] = index + 1;
        const want = list[index] !== undefined ? String(list[index]) : '';
        if (el.value !== want) {
          el.value = want;
          differs = true;
          const editor = richEditors.get(el);
          if (editor) editor.load(want);
        }
      }
      if (differs) changed.push(el);
    }
    return changed;
  }

  function initAutosave() {
    const form = document.querySelector('#article-form[data-autosave-url]');
    if (!form) return;
    const url = form.dataset.autosaveUrl;
    const storageKey = form.dataset.storageKey || '';
    const status = document.getElementById('autosave-status');

    // Every edit bumps `edits`; `acknowledged` is the edit count the server
    // last confirmed. They differ exactly while something is unsaved.
    let edits = 0;
    let acknowledged = 0;
    let timer = 0;
    let pendingSince = 0;
    let inFlight = false;
    let queued = false;
    let submitting = false;
    let restoring = false;

    function show(state, values) {
      if (!status) return;
      const template = status.dataset[state];
      if (!template) return;
      status.textContent = fill(template, values || {});
      status.dataset.state = state;
    }

    function store() {
      if (!storageKey) return;
      try {
        localStorage.setItem(storageKey, JSON.stringify({
          savedAt: new Date().toISOString(),
          values: readValues(form),
        }));
      } catch (err) {
        // Storage full, disabled or private mode: the server copy still works.
      }
    }

    function loadStored() {
      if (!storageKey) return null;
      try {
        const entry = JSON.parse(localStorage.getItem(storageKey) || 'null');
        if (entry && typeof entry.savedAt === 'string' && entry.values && typeof entry.values === 'object') {
          return entry;
        }
      } catch (err) {
        // Unreadable or unavailable: as if nothing were stored.
      }
      return null;
    }

    function clearStored() {
      if (!storageKey) return;
      try {
        localStorage.removeItem(storageKey);
      } catch (err) {
        // Nothing to do.
      }
    }

    /* Debounce, but never hold edits back for more than AUTOSAVE_MAX_WAIT_MS
       while someone types without pausing. */
    function schedule() {
      clearTimeout(timer);
      if (!pendingSince) pendingSince = Date.now();
      const wait = Math.min(AUTOSAVE_DELAY_MS, Math.max(0, pendingSince + AUTOSAVE_MAX_WAIT_MS - Date.now()));
      timer = setTimeout(flush, wait);
    }

    function flush() {
      clearTimeout(timer);
      timer = 0;
      pendingSince = 0;
      saveSafely(false);
    }

    /* One request at a time; edits made meanwhile send once more after. */
    async function save(quiet) {
      if (submitting || edits === acknowledged) return;
      if (inFlight) {
        queued = true;
        return;
      }
      inFlight = true;
      queued = false;
      const sentAt = edits;
      if (!quiet) show('saving');

      const body = new URLSearchParams();
      for (const [name, value] of new FormData(form)) {
        if (name !== 'action' && typeof value === 'string') body.append(name, value);
      }

      try {
        let response;
        try {
          response = await fetch(url, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: body.toString(),
          });
        } catch (err) {
          show('offline');
          return;
        }
        let data = null;
        try {
          data = await response.json();
        } catch (err) {
          data = null;
        }
        if (submitting) return; // the real save is on its way; say nothing
        if (response.ok) {
          acknowledged = Math.max(acknowledged, sentAt);
          const savedAt = data && typeof data.saved_at === 'string' ? data.saved_at : new Date().toISOString();
          form.dataset.serverSavedAt = savedAt;
          // If the server versions autosaves, keep the form's version current.
          if (data && data.version !== undefined && form.elements.namedItem('version')) {
            form.elements.namedItem('version').value = String(data.version);
          }
          if (!quiet) show('saved', { time: clockTime(new Date(savedAt)) });
        } else {
          const reason = (data && typeof data.error === 'string' && data.error) ||
            `${response.status} ${response.statusText || ''}`.trim();
          show('failed', { reason });
        }
      } finally {
        inFlight = false;
        // Edits arrived during the request: send them now.
        if (queued && !submitting) saveSafely(false);
      }
    }

    /* save() is async: keep its failures from surfacing as unhandled
       rejections, and say what happened instead. */
    function saveSafely(quiet) {
      save(quiet).catch((err) => {
        inFlight = false;
        show('failed', { reason: err && err.message ? err.message : String(err) });
      });
    }

    function onEdit(event) {
      if (restoring || submitting) return;
      const target = event.target;
      if (!target || !target.name || target.name === 'action') return;
      edits += 1;
      store();
      schedule();
    }

    form.addEventListener('input', onEdit);
    form.addEventListener('change', onEdit);

    form.addEventListener('submit', (event) => {
      // A cancelled submission (validation, confirm) is not a save.
      if (event.defaultPrevented) return;
      submitting = true;
      clearTimeout(timer);
      clearStored();
    });

    // Coming back through the history cache: the page is live again.
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) submitting = false;
    });

    window.addEventListener('beforeunload', (event) => {
      if (submitting || edits === acknowledged) return undefined;
      event.preventDefault();
      event.returnValue = '';
      return '';
    });

    // Leaving the tab is a good moment not to wait for the debounce.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden' && timer) flush();
    });

    // Back online after a failed save: try again.
    window.addEventListener('online', () => {
      if (edits !== acknowledged && !timer) schedule();
    });

    /* Restore what this browser kept if it is newer than the server's copy
       and not already on the page (a crash, a lost connection, a closed tab). */
    const entry = loadStored();
    if (!entry) return;
    const storedTime = Date.parse(entry.savedAt);
    const serverTime = Date.parse(form.dataset.serverSavedAt || '');
    if (Number.isNaN(storedTime)) {
      clearStored();
      return;
    }
    if (!Number.isNaN(serverTime) && storedTime <= serverTime) return;
    if (JSON.stringify(entry.values) === JSON.stringify(readValues(form))) return;

    restoring = true;
    let changed = [];
    try {
      changed = writeValues(form, entry.values);
      // Let per-field listeners (counters) see the restored values.
      for (const el of changed) el.dispatchEvent(new Event('input', { bubbles: true }));
    } finally {
      restoring = false;
    }
    if (!changed.length) return;
    show('restored', { time: clockTime(new Date(storedTime)) });
    edits += 1;
    // Save at once, quietly: the "restored" notice stays unless saving fails.
    saveSafely(true);
  }

  /* ---------------------------------------------------------------------
   * B. Character counters
   * ------------------------------------------------------------------- */

  function initCounters() {
    const fields = document.querySelectorAll('textarea[data-maxlength-counter], input[data-maxlength-counter]');
    for (const field of Array.from(fields)) {
      const output = document.getElementById(field.dataset.maxlengthCounter);
      const max = parseInt(field.getAttribute('maxlength') || '', 10);
      if (!output || !(max > 0)) continue;
      const template = output.dataset.template || '{n}';
      const update = () => {
        // Code points, as the server counts: an emoji is one character.
        const left = max - [...field.value].length;
        output.textContent = fill(template, { n: left });
        output.classList.toggle('nr-over', left < max * 0.1);
      };
      field.addEventListener('input', update);
      // Form reset changes values without an input event.
      if (field.form) field.form.addEventListener('reset', () => setTimeout(update, 0));
      update();
    }
  }

  /* ---------------------------------------------------------------------
   * C. Confirm buttons
   * ------------------------------------------------------------------- */

  function initConfirmButtons() {
    if (!document.querySelector('button[data-confirm]')) return;
    // Cancelling the click cancels the submission. Enter in a text field
    // ("implicit submission") also clicks the default button, so it is
    // covered. Capture phase: decide before any other click handler.
    document.addEventListener('click', (event) => {
      const button = event.target instanceof Element && event.target.closest('button[data-confirm]');
      if (!button || button.disabled || button.type !== 'submit' || !button.form) return;
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
        event.stopPropagation();
      }
    }, true);
  }

  /* ---------------------------------------------------------------------
   * Start
   * ------------------------------------------------------------------- */

  function init() {
    // Order matters: autosave restores into the rich editor, and counters
    // must exist before a restore dispatches input events.
    for (const feature of [initRichEditors, initCounters, initConfirmButtons, initAutosave]) {
      try {
        feature();
      } catch (err) {
        // One broken feature must not take the others (or the page) down.
        if (window.console) console.error('newsroom:', feature.name, err);
      }
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init, { once: true });
  } else {
    init();
  }
})();
