import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { createServices } from './app/services';
import { StudioProvider } from './app/studio-context';
import './styles.css';

const services = createServices();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StudioProvider services={services}>
      <App />
    </StudioProvider>
  </StrictMode>,
);
