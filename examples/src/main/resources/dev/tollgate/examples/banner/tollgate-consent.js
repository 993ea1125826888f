// Tollgate's adapter between vanilla-cookieconsent (v3) and the demo's consent API.
// - the categories come from GET /api/consent/policy (no copy in the page);
// - the banner's revision is the policy's MAJOR version, so a new major version asks again;
// - every accept or change is posted to POST /api/consent (a new append-only record, withdrawal included),
//   under the policy version this page showed; when a newer major version is in effect, the page asks again;
// - a returning subject whose server record is current is not asked again, even without the cookie.
// The demo has no login: the subject id is a random id kept in localStorage under "tollgate.subject_id".
(function () {
  'use strict';
  var SUBJECT_KEY = 'tollgate.subject_id';
  var status = document.getElementById('consent-status');

  function subjectId() {
    var id = window.localStorage.getItem(SUBJECT_KEY);
    if (!id) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      id = 'anon_' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
      window.localStorage.setItem(SUBJECT_KEY, id);
    }
    return id;
  }

  function major(version) {
    return parseInt(String(version).split('.')[0], 10);
  }

  function show(text) {
    if (status) { status.textContent = text; }
  }

  function describe(record) {
    var on = Object.keys(record.purposes).filter(function (p) { return record.purposes[p]; });
    return record.choice + ' (' + on.join(', ') + ') under policy ' + record.version;
  }

  async function start() {
    if (typeof window.CookieConsent === 'undefined') {
      show('the consent banner is not available (its assets are missing)');
      return;
    }
    var subject = subjectId();
    var policyAnswer = await fetch('/api/consent/policy', { headers: { Accept: 'application/json' } });
    if (!policyAnswer.ok) {
      show('no consent policy is in effect');
      return;
    }
    var policy = await policyAnswer.json();
    var revision = major(policy.version);
    var optional = policy.purposes.filter(function (p) { return !p.necessary; }).map(function (p) { return p.id; });

    var stored = null;
    var current = await fetch('/api/consent?subject_id=' + encodeURIComponent(subject));
    if (current.ok) {
      stored = await current.json();
      if (stored.needs_reconsent || major(stored.version) !== revision) {
        show(describe(stored) + '; the policy is now ' + policy.version + ', please choose again');
        stored = null;
      } else {
        show(describe(stored));
      }
    }

    var restoring = false;

    async function record(cookie) {
      if (restoring) { return; }
      var accepted = cookie.categories;
      var purposes = {};
      optional.forEach(function (id) { purposes[id] = accepted.indexOf(id) >= 0; });
      var on = optional.filter(function (id) { return purposes[id]; });
      var choice = on.length === 0 ? 'only_necessary' : (on.length === optional.length ? 'accept_all' : 'custom');
      var answer = await fetch('/api/consent', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ subject_id: subject, choice: choice, purposes: purposes, policy_version: policy.version })
      });
      if (answer.ok) {
        var saved = await answer.json();
        if (saved.needs_reconsent) {
          // recorded under the policy this page showed, but a newer major version is in effect: ask again
          show(describe(saved) + '; the policy has changed since this page was loaded, asking again');
          window.location.reload();
        } else {
          show(describe(saved));
        }
      } else {
        show('the choice could not be saved (HTTP ' + answer.status + ')');
      }
    }

    var categories = {};
    var sections = [{ title: 'Your choices', description: 'Choose which purposes we may use. You can change this at any time from "Cookie settings".' }];
    policy.purposes.forEach(function (p) {
      categories[p.id] = p.necessary ? { enabled: true, readOnly: true } : {};
      sections.push({ title: p.id.charAt(0).toUpperCase() + p.id.slice(1), description: p.description, linkedCategory: p.id });
    });

    await window.CookieConsent.run({
      revision: revision,
      categories: categories,
      // secure cookies need https; the demo also runs on plain http://127.0.0.1
      cookie: { name: 'tollgate_consent', secure: window.location.protocol === 'https:' },
      // the runbooks' browser checks use automated browsers, which the library would otherwise skip as bots
      hideFromBots: false,
      // a subject whose server record is current is not asked again, even without the cookie
      autoShow: !stored,
      onFirstConsent: function (param) { return record(param.cookie); },
      onChange: function (param) { return record(param.cookie); },
      language: {
        default: 'en',
        translations: {
          en: {
            consentModal: {
              title: 'Cookies on this site',
              description: 'We use cookies for sign-in (necessary), and with your consent for: ' + optional.join(', ')
                + '. <a href="/legal/privacy">Privacy Policy</a>',
              acceptAllBtn: 'Accept all',
              acceptNecessaryBtn: 'Only necessary',
              showPreferencesBtn: 'Settings'
            },
            preferencesModal: {
              title: 'Cookie settings',
              acceptAllBtn: 'Accept all',
              acceptNecessaryBtn: 'Only necessary',
              savePreferencesBtn: 'Save settings',
              closeIconLabel: 'Close',
              sections: sections
            }
          }
        }
      }
    });

    if (stored && !window.CookieConsent.validConsent()) {
      // A returning subject (server record current) without the cookie: restore, do not ask, do not re-record.
      restoring = true;
      window.CookieConsent.acceptCategory(Object.keys(stored.purposes).filter(function (p) { return stored.purposes[p]; }));
      restoring = false;
    }

    document.getElementById('cookie-settings').addEventListener('click', function (event) {
      event.preventDefault();
      window.CookieConsent.showPreferences();
    });
    // the banner is shown (or not) and any restore is done: automated checks wait for this
    document.documentElement.setAttribute('data-tollgate-consent', 'ready');
  }

  start().catch(function (e) { show('the consent banner failed to start: ' + e.message); });
})();
