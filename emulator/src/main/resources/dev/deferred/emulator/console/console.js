// The emulator console: refreshes the live part of the page every two seconds and sends the
// buttons' requests to the emulator's REST API (same origin, JSON, as the API requires).
(function () {
  'use strict';
  var live = document.getElementById('live');
  var status = document.getElementById('status');
  var refreshing = false;

  function fragmentUrl() {
    var url = new URL(window.location.href);
    url.searchParams.set('fragment', '1');
    return url.toString();
  }

  function refresh() {
    if (refreshing) {
      return Promise.resolve();
    }
    refreshing = true;
    return fetch(fragmentUrl(), {cache: 'no-store'})
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        live.innerHTML = html;
        document.body.dataset.refreshed = String(Date.now());
      })
      .catch(function (e) {
        say('Refresh failed: ' + e.message, true);
      })
      .finally(function () {
        refreshing = false;
      });
  }

  function say(text, error) {
    status.textContent = text;
    status.className = error ? 'error' : '';
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-url]');
    if (!button) {
      return;
    }
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      return;
    }
    var method = button.dataset.method;
    var init = {method: method, headers: {'Content-Type': 'application/json'}};
    if (method === 'POST') {
      init.body = '{}';
    }
    button.disabled = true;
    fetch(button.dataset.url, init)
      .then(function (response) {
        return response.text().then(function (text) {
          if (!response.ok) {
            var message = 'HTTP ' + response.status;
            try {
              message = JSON.parse(text).error.message;
            } catch (ignored) {
              // not Google's error shape: keep the status
            }
            throw new Error(message);
          }
          say(button.textContent + ': done', false);
        });
      })
      .catch(function (e) {
        say(button.textContent + ' failed: ' + e.message, true);
      })
      .finally(refresh);
  });

  window.setInterval(refresh, 2000);
})();
