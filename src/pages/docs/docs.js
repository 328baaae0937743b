// The service's header on /docs, in place of Swagger UI's top bar (its logo and a URL field reading
// /docs/json): the service's name, the OpenAPI document at its public address, the coverage page and the
// accessibility statement. Loaded after Swagger UI's initializer and before the page's load event, so
// Swagger UI renders into <main> once it starts.
(() => {
  const ui = document.getElementById('swagger-ui');
  if (!ui || document.querySelector('.stodkartan-header')) return;

  const element = (name, attributes, ...children) => {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    node.append(...children);
    return node;
  };
  const link = (href, text, attributes = {}) => element('a', { href, ...attributes }, text);

  const header = element(
    'header',
    { class: 'stodkartan-header' },
    element(
      'div',
      { class: 'stodkartan-header-inner' },
      element(
        'p',
        { class: 'stodkartan-name' },
        link('/docs', 'Stödkartan'),
        ' ',
        element('span', { class: 'stodkartan-subtitle' }, 'API documentation'),
      ),
      element(
        'nav',
        { class: 'stodkartan-links', 'aria-label': 'Stödkartan' },
        element(
          'ul',
          {},
          element(
            'li',
            {},
            'OpenAPI: ',
            link('/openapi.json', '/openapi.json'),
            ' · ',
            link('/openapi.yaml', '/openapi.yaml'),
          ),
          element('li', {}, link('/coverage', 'Coverage page')),
          element(
            'li',
            {},
            link('/accessibility', 'Accessibility statement'),
            ' · ',
            link('/tillganglighet', 'Tillgänglighetsredogörelse', { lang: 'sv', hreflang: 'sv' }),
          ),
        ),
      ),
    ),
  );
  const main = element('main', { class: 'stodkartan-main' });
  ui.replaceWith(main);
  main.append(ui);
  document.body.prepend(header);

  // What CSS cannot mend in the controls Swagger UI draws, mended as they appear: the dialog's close button
  // and the "Try it out" fields (array items, enum selects, the request body) have no name, and buttons
  // whose aria-label leaves out their visible text (WCAG 2.5.3, label in name) are named by that text.
  const unnamed = (field) =>
    !field.labels?.length &&
    !['aria-label', 'aria-labelledby', 'title', 'placeholder'].some((name) => field.getAttribute(name));
  const mend = () => {
    for (const field of ui.querySelectorAll('input, select, textarea')) {
      if (!unnamed(field)) continue;
      const parameter = field.closest('tr[data-param-name]');
      if (parameter) {
        const where = parameter.getAttribute('data-param-in');
        field.setAttribute('aria-label', `${parameter.getAttribute('data-param-name')} (${where})`);
      } else if (field.closest('.body-param')) field.setAttribute('aria-label', 'Request body');
    }
    for (const button of ui.querySelectorAll('button.close-modal:not([aria-label])')) {
      button.setAttribute('aria-label', 'Close');
    }
    for (const button of ui.querySelectorAll('button[aria-label]')) {
      const text = button.textContent.trim();
      const label = button.getAttribute('aria-label') ?? '';
      if (text && !label.toLowerCase().includes(text.toLowerCase())) button.removeAttribute('aria-label');
    }
  };
  new MutationObserver(mend).observe(ui, { childList: true, subtree: true });
})();
