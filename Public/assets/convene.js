/* Convene progressive enhancement.
   Every page works without this file. It does two things only:
   1. moves focus to the error summary when a page loads with one;
   2. asks for confirmation before submitting [data-module="cv-confirm"] forms,
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
