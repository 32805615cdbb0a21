/* Convene progressive enhancement.
   Every page works without this file. It does three things only:
   1. moves focus to the error summary when a page loads with one;
   2. when a link in the error summary leads to a group of radios, checkboxes or date
      fields, focuses the group's first input (the link alone would land on the group,
      which cannot take focus) and scrolls its legend into view;
   3. asks for confirmation before submitting [data-module="cv-confirm"] forms,
      using the form's data-message text. */
(function () {
  'use strict';

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

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', focusErrorSummary);
  } else {
    focusErrorSummary();
  }
})();
