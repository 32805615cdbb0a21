/* Convene progressive enhancement.
   Every page works without this file. It does three things only:
   1. moves focus to the error summary when a page loads with one;
   2. when a link in the error summary leads to a group of radios, checkboxes or date
      fields, focuses the group's first input (the link alone would land on the group,
      which cannot take focus) and scrolls its legend into view;
   3. asks for confirmation before submitting [data-module="cv-confirm"] forms,
      using the form's data-message text;
   4. saves [data-module="cv-autosave"] forms (the meeting page's agenda) as the chair
      types: the form is sent as it would be, asking for JSON; the discussion's new version
      goes into every form on the page, and a conflict or a problem is shown without losing
      what was typed. */
(function () {
  'use strict';

  document.documentElement.classList.add('cv-js-enabled');

  function focusErrorSummary() {
    var summary = document.querySelector('[data-module="cv-error-summary"]');
    if (!summary) {
      return;
    }
    if (!summary.hasAttribute('tabindex')) {
      summary.setAttribute('tabindex', '-1');
    }
    summary.focus();
  }

  function focusErrorTarget(event) {
    var link = event.target;
    if (!link || link.nodeName !== 'A' || !link.closest('[data-module="cv-error-summary"]')) {
      return;
    }
    var href = link.getAttribute('href') || '';
    if (href.charAt(0) !== '#' || href.length < 2) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(href.slice(1)));
    if (!target) {
      return;
    }
    var input = target.matches('input, select, textarea') ? target
      : target.querySelector('input:not([type="hidden"]), select, textarea');
    if (!input) {
      return;
    }
    event.preventDefault();
    var fieldset = input.closest('fieldset');
    var legend = fieldset && fieldset.querySelector('legend');
    var label = document.querySelector('label[for="' + input.id + '"]');
    (legend || label || input).scrollIntoView();
    input.focus({ preventScroll: true });
  }

  document.addEventListener('click', focusErrorTarget);

  function confirmBeforeSubmit(event) {
    var form = event.target;
    if (!form || form.nodeName !== 'FORM' ||
        form.getAttribute('data-module') !== 'cv-confirm') {
      return;
    }
    var message = form.getAttribute('data-message') || 'Are you sure?';
    if (!window.confirm(message)) {
      event.preventDefault();
    }
  }

  document.addEventListener('submit', confirmBeforeSubmit);

  function autosave(form) {
    var status = form.querySelector('[data-autosave-status]');
    var timer = null;
    var sending = false;
    var again = false;
    var stopped = false;

    function show(text, problem) {
      if (!status) { return; }
      status.textContent = text;
      status.classList.toggle('cv-meeting__status--problem', !!problem);
    }

    function showErrors(message, errors) {
      show(message, true);
      if (!status) { return; }
      var list = document.createElement('ul');
      list.className = 'cv-list';
      errors.forEach(function (error) {
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.className = 'cv-link';
        link.href = '#' + error.field;
        link.textContent = error.message;
        item.appendChild(link);
        list.appendChild(item);
      });
      status.appendChild(list);
    }

    function send() {
      if (stopped) { return; }
      if (sending) { again = true; return; }
      sending = true;
      show('Saving…', false);
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body.toString()
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok && typeof answer.version === 'number') {
            document.querySelectorAll('input[name="version"]').forEach(function (input) {
              input.value = String(answer.version);
            });
            show(answer.message || 'Saved', false);
          } else if (response.status === 409) {
            stopped = true;
            show('Not saved: ' + (answer.message || 'someone else changed this discussion.') +
              ' What you typed is still on this page: copy anything you need, then reload it.', true);
          } else if (answer.errors) {
            showErrors(answer.message || 'Not saved', answer.errors);
          } else {
            show('Not saved: the server did not answer. Your notes are still on this page; use a Save button to try again.', true);
          }
        });
      }).catch(function () {
        show('Not saved: no connection. Your notes are still on this page; they will be sent with your next change.', true);
      }).then(function () {
        sending = false;
        if (again) { again = false; send(); }
      });
    }

    function soon(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(send, delay);
    }

    form.addEventListener('input', function () { soon(1500); });
    form.addEventListener('change', function () { soon(300); });
    form.addEventListener('submit', function (event) {
      if (stopped) { return; }
      event.preventDefault();
      window.clearTimeout(timer);
      send();
    });
  }

  document.querySelectorAll('form[data-module="cv-autosave"]').forEach(autosave);

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', focusErrorSummary);
  } else {
    focusErrorSummary();
  }
})();
